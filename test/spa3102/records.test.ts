import { strict as assert } from "assert";
import { Office, resolveSecrets } from "../../components";
import { countries, countryCodes } from "../../components/office/countries";
import { spa3102Documents, spa3102Parameters, spa3102Records, spa3102Settings } from "../../components/spa3102";
import { exampleOffice } from "../../lab/stacks";
import { readFlatProfile, readHtmlSheet, readMarkdownSheet, RecordEntry } from "./records";

const publicAddress = "203.0.113.7";

/** The Montevideo office (seed 000): phone "casa" on the SPA3102's Line 1, the landline ringing casa. */
function montevideo(change: (office: Office) => void = () => {}): Office {
    const office = exampleOffice("montevideo");
    change(office);
    return office;
}

const byParameter = (entries: RecordEntry[]) => Object.fromEntries(entries.map((e) => [e.parameter, e.value]));
const profileOf = (office: Office, secrets?: Record<string, string>) =>
    byParameter(readFlatProfile(spa3102Records(office, { publicAddress, secrets }).profileXml).entries);

describe("SPA3102 profile and settings sheet", () => {
    it("the profile is one well-formed <flat-profile> of parameters, each readable by the user only as admin (ua=na)", () => {
        const { profileXml } = spa3102Records(montevideo(), { publicAddress });
        const profile = readFlatProfile(profileXml);
        assert.ok(profile.entries.length > 40, `${profile.entries.length} parameters`);
        for (const entry of profile.entries)
            assert.deepEqual(profile.attributes[entry.parameter], { ua: "na" }, entry.parameter);
        const known = new Set(spa3102Parameters.map((p) => p.parameter));
        assert.deepEqual(
            profile.entries.filter((e) => !known.has(e.parameter)),
            [],
        );
    });

    it("special characters are escaped: the landline's dial plan (S0<:200>) reads back exactly", () => {
        const { profileXml } = spa3102Records(montevideo(), { publicAddress });
        assert.ok(profileXml.includes('<Dial_Plan_1_2_ ua="na">(S0&lt;:200&gt;)</Dial_Plan_1_2_>'), profileXml);
        assert.equal(profileOf(montevideo()).Dial_Plan_1_2_, "(S0<:200>)");
    });

    it("a stray '<' or '&' would make the reader refuse the profile", () => {
        assert.throws(
            () => readFlatProfile('<flat-profile><Dial_Plan_1_ ua="na">(S0<:200>)</Dial_Plan_1_></flat-profile>'),
            /not a well-formed/,
        );
        assert.throws(() => readFlatProfile('<flat-profile><A ua="na">a & b</A></flat-profile>'), /bare "&"/);
        assert.throws(() => readFlatProfile("<flat-profile><!-- a -- b --></flat-profile>"), /inside a comment/);
        assert.throws(() => readFlatProfile("<flat-profile><A>1</A><A>2</A></flat-profile>"), /twice/);
    });

    for (const [code, preset] of countryCodes.map((code) => [code, countries[code]] as const)) {
        it(`${preset.name}: the preset's tones, impedances, caller-ID method and disconnect tone are in the profile`, () => {
            const office = montevideo((o) => (o.spa3102!.country = code));
            const profile = profileOf(office);
            const spa = preset.spa3102;
            assert.deepEqual(
                {
                    Dial_Tone: profile.Dial_Tone,
                    Busy_Tone: profile.Busy_Tone,
                    Reorder_Tone: profile.Reorder_Tone,
                    Ring_Back_Tone: profile.Ring_Back_Tone,
                    FXS_Port_Impedance: profile.FXS_Port_Impedance,
                    Caller_ID_Method: profile.Caller_ID_Method,
                    Disconnect_Tone_2_: profile.Disconnect_Tone_2_,
                    FXO_Port_Impedance_2_: profile.FXO_Port_Impedance_2_,
                    Detect_Disconnect_Tone_2_: profile.Detect_Disconnect_Tone_2_,
                },
                {
                    Dial_Tone: spa.dialTone.value,
                    Busy_Tone: spa.busyTone.value,
                    Reorder_Tone: spa.reorderTone.value,
                    Ring_Back_Tone: spa.ringbackTone.value,
                    FXS_Port_Impedance: spa.fxsImpedance.value,
                    Caller_ID_Method: spa.callerIdMethod.value,
                    Disconnect_Tone_2_: spa.disconnectTone.value,
                    FXO_Port_Impedance_2_: spa.fxoImpedance.value,
                    Detect_Disconnect_Tone_2_: "yes",
                },
            );
            const fsk = /^Bellcore/.test(spa.callerIdMethod.value)
                ? "bell 202"
                : /FSK/.test(spa.callerIdMethod.value)
                  ? "v.23"
                  : undefined;
            assert.equal(profile.Caller_ID_FSK_Standard, fsk);
        });
    }

    it("the adapter follows the office's country unless it has its own: Uruguay's disconnect tone from seed 000", () => {
        assert.equal(profileOf(montevideo()).Disconnect_Tone_2_, "420@-30,420@-30;2(.2/.2/1,.2/.6/1)");
        assert.equal(
            profileOf(montevideo((o) => (o.spa3102!.country = "US"))).Disconnect_Tone_2_,
            "480@-30,620@-30;4(.25/.25/1+2)",
        );
    });

    it("every preset value in the sheet names its source", () => {
        const settings = spa3102Settings(montevideo(), { publicAddress });
        for (const parameter of [
            "Dial_Tone",
            "Busy_Tone",
            "Reorder_Tone",
            "Ring_Back_Tone",
            "FXS_Port_Impedance",
            "Caller_ID_Method",
            "Disconnect_Tone_2_",
            "FXO_Port_Impedance_2_",
        ]) {
            const setting = settings.find((s) => s.parameter === parameter)!;
            assert.ok(setting.source && setting.source.length > 20, parameter);
            const { sheetMarkdown } = spa3102Records(montevideo(), { publicAddress });
            assert.ok(sheetMarkdown.includes(setting.source.replace(/\|/g, "\\|")), `${parameter}: ${setting.source}`);
        }
    });

    it("both accounts register to the server; landline callers go to the target extension, with their number", () => {
        const profile = profileOf(montevideo());
        assert.deepEqual(
            Object.fromEntries(
                [
                    "Proxy_1_",
                    "User_ID_1_",
                    "Register_1_",
                    "Proxy_2_",
                    "User_ID_2_",
                    "Register_2_",
                    "PSTN-To-VoIP_Gateway_Enable_2_",
                    "PSTN_Caller_Default_DP_2_",
                    "Dial_Plan_1_2_",
                    "PSTN_Ring_Thru_Line_1_2_",
                    "PSTN_CID_for_VoIP_CID_2_",
                    "PSTN_Answer_Delay_2_",
                    "Cfwd_Sel1_Caller_2_",
                    "Cfwd_Sel1_Dest_2_",
                ].map((p) => [p, profile[p]]),
            ),
            {
                Proxy_1_: publicAddress,
                User_ID_1_: "casa",
                Register_1_: "yes",
                Proxy_2_: publicAddress,
                User_ID_2_: "landline",
                Register_2_: "yes",
                "PSTN-To-VoIP_Gateway_Enable_2_": "yes",
                PSTN_Caller_Default_DP_2_: "1",
                Dial_Plan_1_2_: "(S0<:200>)",
                PSTN_Ring_Thru_Line_1_2_: "no",
                PSTN_CID_for_VoIP_CID_2_: "yes",
                PSTN_Answer_Delay_2_: "5",
                Cfwd_Sel1_Caller_2_: "*",
                Cfwd_Sel1_Dest_2_: "200",
            },
        );
    });

    it("the office's calls to the landline are dialed as sent, and only the server may place them", () => {
        const profile = profileOf(montevideo());
        assert.equal(profile["VoIP-To-PSTN_Gateway_Enable_2_"], "yes");
        assert.equal(profile.VoIP_Caller_Default_DP_2_, "2");
        assert.equal(profile.Dial_Plan_2_2_, "(xx.)");
        assert.equal(profile.VoIP_Access_List_2_, publicAddress);
        assert.equal(profile.VoIP_Caller_Auth_Method_2_, "HTTP Digest");
        assert.equal(profile.Restrict_Source_IP_2_, "yes");
    });

    it("line 1 sends emergency numbers at once and everything else to the office", () => {
        assert.equal(profileOf(montevideo()).Dial_Plan_1_, "(911S0|xx.)");
    });

    it("a SIP port other than 5060 goes into Proxy as host:port", () => {
        const profile = profileOf(montevideo((o) => (o.server.sipPort = 5070)));
        assert.equal(profile.Proxy_1_, `${publicAddress}:5070`);
        assert.equal(profile.Proxy_2_, `${publicAddress}:5070`);
    });

    it("with no dial-out prefix and emergency calls on a trunk, the landline never dials out", () => {
        const profile = profileOf(
            montevideo((o) => {
                delete o.spa3102!.landline!.dialOutPrefix;
                o.routes.emergencyTrunk = "twilio";
            }),
        );
        assert.equal(profile["VoIP-To-PSTN_Gateway_Enable_2_"], "no");
        assert.equal(profile.Auto_PSTN_Fallback_1_, "no");
        assert.equal(profile.VoIP_Access_List_2_, undefined);
    });

    it("without a landline the PSTN Line is switched off and nothing else of it is written", () => {
        const profile = profileOf(montevideo((o) => delete o.spa3102!.landline));
        assert.equal(profile.Line_Enable_2_, "no");
        assert.deepEqual(
            Object.keys(profile).filter((p) => /_2_$/.test(p)),
            ["Line_Enable_2_"],
        );
        assert.equal(profile.User_ID_1_, "casa");
    });

    for (const withSecrets of [false, true]) {
        it(`the sheet matches the profile, field for field, in Markdown and HTML (${withSecrets ? "with" : "without"} secrets)`, () => {
            const office = montevideo();
            const secrets = withSecrets ? resolveSecrets(office) : undefined;
            const records = spa3102Records(office, { publicAddress, secrets });
            const profile = readFlatProfile(records.profileXml).entries;
            const catalog = new Map(spa3102Parameters.map((p) => [p.parameter, p]));
            for (const [format, sheet] of [
                ["Markdown", readMarkdownSheet(records.sheetMarkdown)],
                ["HTML", readHtmlSheet(records.sheetHtml)],
            ] as const) {
                const shown = sheet.filter((row) => !row.value.startsWith("secret: "));
                assert.deepEqual(byParameter(shown), byParameter(profile), format);
                for (const row of sheet) {
                    const p = catalog.get(row.parameter)!;
                    assert.deepEqual(
                        [row.tab, row.section, row.field],
                        [p.tab, p.section, p.field],
                        `${format} ${row.parameter}`,
                    );
                }
                const placeholders = sheet
                    .filter((row) => row.value.startsWith("secret: "))
                    .map((row) => row.parameter);
                assert.deepEqual(placeholders, withSecrets ? [] : ["Password_1_", "Password_2_"], format);
            }
        });
    }

    it("passwords are only in the records asked for with secrets; the others say where to find them", () => {
        const office = montevideo();
        const secrets = resolveSecrets(office);
        const passwords = [secrets[office.phones[0].secret.path], secrets[office.spa3102!.landline!.secret.path]];
        const plain = spa3102Records(office, { publicAddress });
        for (const text of Object.values(plain)) for (const password of passwords) assert.ok(!text.includes(password));
        assert.equal(profileOf(office).Password_1_, undefined, "the adapter keeps its own password");
        assert.match(plain.profileXml, /Password_1_ \(.*\) is left out: .* spa3102ProfileWithSecrets has it/);
        assert.ok(plain.sheetMarkdown.includes("secret: `pulumi stack output --show-secrets spa3102SheetWithSecrets`"));

        const full = spa3102Records(office, { publicAddress, secrets });
        assert.equal(profileOf(office, secrets).Password_1_, passwords[0]);
        assert.equal(profileOf(office, secrets).Password_2_, passwords[1]);
        for (const text of Object.values(full)) for (const password of passwords) assert.ok(text.includes(password));
    });

    it("a setting from the stack replaces deskphone's in both records and says so", () => {
        const tone = "425@-30,425@-30;4(.25/.25/1+2)";
        const office = montevideo((o) => (o.spa3102!.settings = { Disconnect_Tone_2_: tone, Ring_Voltage: "70" }));
        const records = spa3102Records(office, { publicAddress });
        assert.equal(byParameter(readFlatProfile(records.profileXml).entries).Disconnect_Tone_2_, tone);
        assert.equal(byParameter(readMarkdownSheet(records.sheetMarkdown)).Disconnect_Tone_2_, tone);
        assert.equal(
            byParameter(readHtmlSheet(records.sheetHtml)).Ring_Voltage,
            "70",
            "a setting deskphone leaves alone is added",
        );
        assert.ok(records.sheetMarkdown.includes("deskphone:spa3102.settings.Disconnect_Tone_2_"));
        assert.match(
            records.profileXml,
            /set by the stack \(deskphone would write "420@-30,420@-30;2\(\.2\/\.2\/1,\.2\/\.6\/1\)"/,
        );
    });

    it("values with markup and table characters read back exactly from every record", () => {
        const value = `(<9,:>xx.|*"a" & 'b'|x\`y)`;
        const office = montevideo((o) => (o.spa3102!.settings = { Dial_Plan_1_: value }));
        const records = spa3102Records(office, { publicAddress });
        assert.equal(byParameter(readFlatProfile(records.profileXml).entries).Dial_Plan_1_, value);
        assert.equal(byParameter(readMarkdownSheet(records.sheetMarkdown)).Dial_Plan_1_, value);
        assert.equal(byParameter(readHtmlSheet(records.sheetHtml)).Dial_Plan_1_, value);
    });

    it("as files: three to share, and three more holding the passwords when secrets are given", () => {
        const office = montevideo();
        assert.deepEqual(
            spa3102Documents(office, { publicAddress }).map((d) => [d.name, d.secret]),
            [
                ["spa3102.xml", false],
                ["spa3102-settings.md", false],
                ["spa3102-settings.html", false],
            ],
        );
        const all = spa3102Documents(office, { publicAddress, secrets: resolveSecrets(office) });
        assert.deepEqual(
            all.filter((d) => d.secret).map((d) => d.name),
            ["spa3102.secrets.xml", "spa3102-settings.secrets.md", "spa3102-settings.secrets.html"],
        );
    });
});

import { strict as assert } from "assert";
import { problems } from "../support/problems";
import { validateOffice } from "../../components";

/** A small valid Uruguayan office with an SPA3102: its phone "casa" and the landline; each test changes one thing. */
function office(): Record<string, any> {
    return {
        office: { name: "Casa", country: "UY", timezone: "America/Montevideo", voicemailFrom: "vm@casa.example" },
        trunks: [{ name: "twilio", kind: "twilio", terminationHost: "casa.pstn.twilio.com", username: "casa" }],
        numbers: [{ e164: "+59829001234", mailboxPin: "1234" }],
        phones: [
            {
                name: "casa",
                extension: "200",
                kind: "spa3102-line",
                callerId: "+59829001234",
                secret: "a-long-phone-secret",
            },
        ],
        spa3102: { linePhone: "casa", landline: { rings: ["casa"], dialOutPrefix: "9" } },
        server: { droplet: { sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExample me@laptop" } },
    };
}

describe("SPA3102 config validation", () => {
    it("the adapter follows the office's country, answers the landline after 5 s and changes no setting by default", () => {
        const adapter = validateOffice(office()).spa3102!;
        assert.equal(adapter.country, undefined);
        assert.deepEqual(adapter.settings, {});
        assert.equal(adapter.landline!.answerDelay, 5);
    });

    it("takes the adapter's own country, an answer delay and settings by parameter name", () => {
        const raw = office();
        raw.spa3102.country = "ar";
        raw.spa3102.landline.answerDelay = 8;
        raw.spa3102.settings = {
            Disconnect_Tone_2_: "425@-30,425@-30;2(.3/.3/1+2)",
            PSTN_Answer_Delay_2_: 3,
            Detect_Disconnect_Tone_2_: true,
        };
        const adapter = validateOffice(raw).spa3102!;
        assert.equal(adapter.country, "AR");
        assert.equal(adapter.landline!.answerDelay, 8);
        assert.deepEqual(adapter.settings, {
            Disconnect_Tone_2_: "425@-30,425@-30;2(.3/.3/1+2)",
            PSTN_Answer_Delay_2_: "3",
            Detect_Disconnect_Tone_2_: "yes",
        });
    });

    it("a country with no SPA3102 preset is refused", () => {
        const raw = office();
        raw.spa3102.country = "FR";
        assert.deepEqual(problems(raw), [
            'deskphone:spa3102.country: "FR" has no SPA3102 preset (use one of: UY, US, CA, GB, DE, ES, AR, BR, MX)',
        ]);
    });

    it("an unknown setting is named, with the parameter it most likely meant", () => {
        const raw = office();
        raw.spa3102.settings = {
            Disconnect_Tone: "…",
            "FXO Port Impedance": "600",
            Proxy: "sip.example",
            Disconect_Tone_2_: "…",
            Bogus: "1",
        };
        assert.deepEqual(problems(raw), [
            'deskphone:spa3102.settings.Disconnect_Tone: unknown SPA3102 setting "Disconnect_Tone" (did you mean "Disconnect_Tone_2_"?)',
            'deskphone:spa3102.settings.FXO Port Impedance: unknown SPA3102 setting "FXO Port Impedance" (did you mean "FXO_Port_Impedance_2_"?)',
            'deskphone:spa3102.settings.Proxy: unknown SPA3102 setting "Proxy" (did you mean "Proxy_1_" or "Proxy_2_"?)',
            'deskphone:spa3102.settings.Disconect_Tone_2_: unknown SPA3102 setting "Disconect_Tone_2_" (did you mean "Disconnect_Tone_2_"?)',
            'deskphone:spa3102.settings.Bogus: unknown SPA3102 setting "Bogus" (use a name from the Parameter column of the adapter\'s settings sheet)',
        ]);
    });

    it("a password cannot be set as a plain setting", () => {
        const raw = office();
        raw.spa3102.settings = { Password_2_: "hunter2" };
        assert.deepEqual(problems(raw), [
            "deskphone:spa3102.settings.Password_2_: Password_2_ is a password deskphone takes from the stack's secrets (set the phone's or the landline's secret instead)",
        ]);
    });

    it("a setting's value is text as the adapter shows it, not a list or a mapping", () => {
        const raw = office();
        raw.spa3102.settings = { Dial_Tone: ["425"] };
        assert.deepEqual(problems(raw), [
            "deskphone:spa3102.settings.Dial_Tone: expected the adapter's value as text, got a list (e.g. Dial_Tone: \"…\" as the adapter's web page shows it)",
        ]);
    });

    it("settings must be a mapping and the answer delay within the adapter's 0-255 s", () => {
        const raw = office();
        raw.spa3102.settings = "Disconnect_Tone_2_=…";
        raw.spa3102.landline.answerDelay = 300;
        assert.deepEqual(problems(raw), [
            'deskphone:spa3102.settings: expected a mapping of settings, got string "Disconnect_Tone_2_=…"',
            "deskphone:spa3102.landline.answerDelay: 300 is not a whole number from 0 to 255",
        ]);
    });
});

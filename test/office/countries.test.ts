import { strict as assert } from "assert";
import { countries, countryCodes, renderConfigFiles, validateOffice } from "../../components";
import { officeView } from "../../components/render/viewModel";
import { exampleSettings } from "../../lab/stacks";

describe("the countries table", () => {
    for (const code of countryCodes) {
        it(`${code}: an office there validates and renders, with its emergency numbers going out and its own tones`, () => {
            const raw = exampleSettings("quebec");
            (raw.office as { country: string }).country = code;
            // Quebec routes 418 by prefix, a North American range: refused elsewhere unless international calls are allowed.
            (raw.routes as { allow: string[] }).allow = ["international"];
            const office = validateOffice(raw);
            const files = renderConfigFiles(office, { publicAddress: "203.0.113.7" });
            const text = (name: string) => files.find((f) => f.name === name)!.text;
            const country = countries[code];
            assert.ok(country.dialing.emergencyNumbers.length > 0);
            assert.deepEqual(
                officeView(office).emergency.numbers,
                country.dialing.emergencyNumbers,
                "each emergency number goes out",
            );
            assert.match(text("indications.conf"), new RegExp(`^\\[${code.toLowerCase()}\\]`, "m"));
            assert.ok(
                text("indications.conf").split("\n").includes(`busy=${country.tones.busy.value}`),
                "the country's busy tone",
            );
        });
    }
});

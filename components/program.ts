import * as pulumi from "@pulumi/pulumi";
import { OfficeConfigError } from "./office/errors";
import { loadPulumiOffice } from "./office/load";
import { PhoneSystem } from "./phoneSystem";
import { spa3102Outputs } from "./spa3102";

/**
 * The deskphone program: reads the stack's `deskphone:` config and declares one PhoneSystem. A
 * mistake in the stack file stops it with every problem listed, before anything is declared.
 */
export function deskphoneProgram(opts?: pulumi.ComponentResourceOptions) {
    let office;
    try {
        office = loadPulumiOffice();
    } catch (error) {
        // RunError: the engine prints the message alone, without a stack trace.
        if (error instanceof OfficeConfigError) throw new pulumi.RunError(error.message);
        throw error;
    }
    const system = new PhoneSystem(pulumi.getStack(), { office }, opts);
    const adapter = system.spa3102 && {
        [spa3102Outputs.profile]: system.spa3102.profileXml,
        [spa3102Outputs.sheet]: system.spa3102.sheetMarkdown,
        [spa3102Outputs.sheetHtml]: system.spa3102.sheetHtml,
        [spa3102Outputs.profileWithSecrets]: system.spa3102WithSecrets!.profileXml,
        [spa3102Outputs.sheetWithSecrets]: system.spa3102WithSecrets!.sheetMarkdown,
    };
    return {
        publicAddress: system.publicAddress,
        phones: system.phones,
        numbers: system.numbers,
        mailboxes: system.mailboxes,
        monthlyCost: system.monthlyCost,
        ...adapter,
    };
}

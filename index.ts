// The deskphone Pulumi program: one office per stack, read from the stack's deskphone: config.
import * as pulumi from "@pulumi/pulumi";
import { loadPulumiOffice, OfficeConfigError, PhoneSystem } from "./components";

function office() {
    try {
        return loadPulumiOffice();
    } catch (error) {
        // A mistake in the stack file: say what is wrong, declare nothing, no stack trace.
        if (error instanceof OfficeConfigError) throw new pulumi.RunError(error.message);
        throw error;
    }
}

const phoneSystem = new PhoneSystem(pulumi.getStack(), { office: office() });

export const publicAddress = phoneSystem.publicAddress;
export const phones = phoneSystem.phones;
export const numbers = phoneSystem.numbers;
export const monthlyCost = phoneSystem.monthlyCost;

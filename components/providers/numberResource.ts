/** What the provider resources declare alike: the tag's parts, the numbers' shared inputs, and the outputs kept secret. */

import * as pulumi from "@pulumi/pulumi";
import type { NumberResourceArgs } from "./numberSettings";

/** What a resource's tag is made of, `deskphone:<stack>:<office>:<name>`: the stack defaults to the current one, the name to the resource's. */
export function tagInputs(
    name: string,
    args: { office: pulumi.Input<string>; stack?: pulumi.Input<string>; name?: pulumi.Input<string> },
) {
    return { office: args.office, stack: args.stack ?? pulumi.getStack(), name: args.name ?? name };
}

/** The inputs every number resource declares from its args; the provider's credentials are kept secret. */
export function numberResourceInputs<Credentials>(name: string, args: NumberResourceArgs<Credentials>) {
    return {
        ...tagInputs(name, args),
        mode: args.mode,
        e164: args.e164,
        country: args.country,
        areaCode: args.areaCode,
        contains: args.contains,
        releaseOnDelete: args.releaseOnDelete,
        credentials: args.credentials === undefined ? undefined : pulumi.secret(args.credentials),
        apiUrl: args.apiUrl,
        retry: args.retry,
    };
}

/** The resource's options, with the outputs that hold a secret (the credentials, and `more`) kept encrypted in the state. */
export function withSecretOutputs(
    opts: pulumi.CustomResourceOptions | undefined,
    ...more: string[]
): pulumi.CustomResourceOptions {
    return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...more, "credentials"] };
}

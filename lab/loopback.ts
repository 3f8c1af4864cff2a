import { Office, RenderOptions } from "../components";

/** The roles of a call test, each on its own loopback address (nothing leaves 127.0.0.0/8). */
export const roles = {
    asterisk: "127.0.0.1",
    itsp: "127.0.0.2",
    firstPhone: 3,
} as const;

/** The address of the n-th phone role: 127.0.0.3, 127.0.0.4, … */
export function phoneAddress(n: number): string {
    return `127.0.0.${roles.firstPhone + n}`;
}

/** An office made ready for this machine: Asterisk on 127.0.0.1, every trunk's provider on the ITSP role. */
export function onLoopback(office: Office): { office: Office; options: RenderOptions } {
    const local = structuredClone(office);
    local.server.bindAddress = roles.asterisk;
    const trunkAddresses = Object.fromEntries(
        local.trunks.map((t) => [t.name, { host: `${roles.itsp}:5060`, matches: [roles.itsp] }]),
    );
    return { office: local, options: { publicAddress: roles.asterisk, trunkAddresses } };
}

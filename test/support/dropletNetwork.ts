/**
 * A DigitalOcean droplet's network, modelled in network namespaces of the test's own, as DigitalOcean
 * documents it ("How to Send Outbound Traffic Over a Reserved IP", "How to Find Information about
 * Droplet Anchor IPs", the metadata API):
 *
 *   droplet (eth0: its own public IP and its anchor IP, a private 10.x address; default route via the
 *            public gateway, as a new droplet boots)
 *      │
 *   gateway (the public gateway; the anchor gateway, which DNATs the reserved IP to the anchor IP and
 *            source-NATs the anchor IP to the reserved IP; the metadata service on 169.254.169.254)
 *      │
 *   internet (the provider and a phone, with named nftables counters of what arrives from where)
 *
 * Public addresses are RFC 5737 documentation addresses; the namespaces have no link to this machine's
 * network, so nothing sent in the model can leave it.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const dropletAddresses = {
    /** The droplet's own public IP: what it sends from unless routed through the anchor gateway. */
    own: "198.51.100.10",
    ownGateway: "198.51.100.1",
    anchor: "10.17.0.5",
    anchorGateway: "10.17.0.1",
    /** The reserved IP: trunks, their access lists and the phones know only this one. */
    reserved: "192.0.2.50",
    provider: "203.0.113.20",
    phone: "203.0.113.30",
    internetGateway: "203.0.113.1",
} as const;

export interface DropletNetwork {
    /** Namespace names, for `ip netns exec`. */
    droplet: string;
    gateway: string;
    internet: string;
    /** Runs a command in a namespace and returns its output. */
    run(netns: string, command: string[]): string;
    /** Packets counted so far at the internet side by counter name: `sipFromReserved`, `sipFromOwn`, `rtpFromReserved`, `rtpFromOwn`. */
    counters(): Record<string, number>;
    /** Serves DigitalOcean's metadata for the droplet (reserved IP assigned or not) until `remove`; called again, changes what it says. */
    serveMetadata(reservedIpActive: boolean): Promise<void>;
    remove(): Promise<void>;
}

const a = dropletAddresses;

/** Counters at the provider and phone side: SIP (5060) and RTP (any other UDP port) from each droplet address. */
const internetRules = `
table inet seen {
  counter sipFromReserved {}
  counter sipFromOwn {}
  counter rtpFromReserved {}
  counter rtpFromOwn {}
  chain input {
    type filter hook input priority 0; policy accept;
    ip saddr ${a.reserved} udp dport 5060 counter name sipFromReserved
    ip saddr ${a.own} udp dport 5060 counter name sipFromOwn
    ip saddr ${a.reserved} udp dport != 5060 counter name rtpFromReserved
    ip saddr ${a.own} udp dport != 5060 counter name rtpFromOwn
  }
}
`;

/** The anchor gateway: the reserved IP is the anchor IP behind NAT. */
const gatewayRules = `
table ip reserved_ip {
  chain prerouting {
    type nat hook prerouting priority -100;
    ip daddr ${a.reserved} dnat to ${a.anchor}
  }
  chain postrouting {
    type nat hook postrouting priority 100;
    ip saddr ${a.anchor} oifname "toInternet" snat to ${a.reserved}
  }
}
`;

/** Builds the three namespaces (names unique to this process) and their links. */
export function startDropletNetwork(): DropletNetwork {
    const tag = `${process.pid % 100000}`;
    const droplet = `dp-droplet-${tag}`;
    const gateway = `dp-gateway-${tag}`;
    const internet = `dp-internet-${tag}`;
    const ip = (...args: string[]) => execFileSync("ip", args, { stdio: ["ignore", "pipe", "pipe"] });
    const run = (netns: string, command: string[]) =>
        execFileSync("ip", ["netns", "exec", netns, ...command], { encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
    const nft = (netns: string, rules: string) =>
        execFileSync("ip", ["netns", "exec", netns, "nft", "-f", "-"], { input: rules });
    const dir = mkdtempSync(join(tmpdir(), "deskphone-droplet-net-"));
    let metadata: ChildProcess | undefined;

    const remove = async () => {
        if (metadata?.pid && metadata.exitCode === null) {
            metadata.kill("SIGKILL");
            await new Promise((r) => metadata!.once("close", r));
        }
        for (const netns of [droplet, gateway, internet]) {
            try {
                ip("netns", "delete", netns);
            } catch {
                // not made
            }
        }
        rmSync(dir, { recursive: true, force: true });
    };

    try {
        for (const netns of [droplet, gateway, internet]) {
            ip("netns", "add", netns);
            ip("-n", netns, "link", "set", "lo", "up");
        }
        ip("link", "add", `dpd${tag}`, "netns", droplet, "type", "veth", "peer", "name", `dpg${tag}`, "netns", gateway);
        ip(
            "link",
            "add",
            `dpi${tag}`,
            "netns",
            internet,
            "type",
            "veth",
            "peer",
            "name",
            `dpo${tag}`,
            "netns",
            gateway,
        );
        ip("-n", droplet, "link", "set", `dpd${tag}`, "name", "eth0");
        ip("-n", gateway, "link", "set", `dpg${tag}`, "name", "toDroplet");
        ip("-n", gateway, "link", "set", `dpo${tag}`, "name", "toInternet");
        ip("-n", internet, "link", "set", `dpi${tag}`, "name", "eth0");

        ip("-n", droplet, "addr", "add", `${a.own}/24`, "dev", "eth0");
        ip("-n", droplet, "addr", "add", `${a.anchor}/16`, "dev", "eth0");
        ip("-n", droplet, "link", "set", "eth0", "up");
        ip("-n", droplet, "route", "add", "default", "via", a.ownGateway, "dev", "eth0");
        ip("-n", droplet, "route", "add", "169.254.0.0/16", "dev", "eth0");

        ip("-n", gateway, "addr", "add", `${a.ownGateway}/24`, "dev", "toDroplet");
        ip("-n", gateway, "addr", "add", `${a.anchorGateway}/16`, "dev", "toDroplet");
        ip("-n", gateway, "addr", "add", "169.254.169.254/16", "dev", "toDroplet");
        ip("-n", gateway, "addr", "add", `${a.internetGateway}/24`, "dev", "toInternet");
        for (const link of ["toDroplet", "toInternet"]) ip("-n", gateway, "link", "set", link, "up");
        run(gateway, ["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"]);
        nft(gateway, gatewayRules);

        ip("-n", internet, "addr", "add", `${a.provider}/24`, "dev", "eth0");
        ip("-n", internet, "addr", "add", `${a.phone}/24`, "dev", "eth0");
        ip("-n", internet, "link", "set", "eth0", "up");
        ip("-n", internet, "route", "add", "default", "via", a.internetGateway);
        nft(internet, internetRules);
    } catch (e) {
        void remove();
        throw new Error(`could not build the modelled droplet network: ${(e as Error).message}`, { cause: e });
    }

    return {
        droplet,
        gateway,
        internet,
        run,
        counters() {
            const listed = JSON.parse(run(internet, ["nft", "-j", "list", "counters", "table", "inet", "seen"])) as {
                nftables: { counter?: { name: string; packets: number } }[];
            };
            return Object.fromEntries(
                listed.nftables.flatMap((e) => (e.counter ? [[e.counter.name, e.counter.packets]] : [])),
            );
        },
        async serveMetadata(reservedIpActive: boolean) {
            // The metadata paths DigitalOcean documents, each a plain-text value.
            const values: Record<string, string> = {
                "reserved_ip/ipv4/active": String(reservedIpActive),
                "reserved_ip/ipv4/ip_address": reservedIpActive ? a.reserved : "",
                "interfaces/public/0/ipv4/address": a.own,
                "interfaces/public/0/ipv4/gateway": a.ownGateway,
                "interfaces/public/0/anchor_ipv4/address": a.anchor,
                "interfaces/public/0/anchor_ipv4/gateway": a.anchorGateway,
            };
            for (const [key, value] of Object.entries(values)) {
                const file = join(dir, "metadata", "v1", key);
                mkdirSync(join(file, ".."), { recursive: true });
                writeFileSync(file, value);
            }
            if (metadata && metadata.exitCode === null) return; // it serves the files as they are now
            metadata = spawn(
                "ip",
                [
                    "netns",
                    "exec",
                    gateway,
                    "python3",
                    "-m",
                    "http.server",
                    "80",
                    "--bind",
                    "169.254.169.254",
                    "--directory",
                    dir,
                ],
                { stdio: "ignore" },
            );
            const deadline = Date.now() + 10_000;
            for (;;) {
                try {
                    run(droplet, [
                        "curl",
                        "-fsS",
                        "--max-time",
                        "1",
                        "http://169.254.169.254/metadata/v1/interfaces/public/0/anchor_ipv4/address",
                    ]);
                    return;
                } catch {
                    if (Date.now() > deadline || metadata.exitCode !== null)
                        throw new Error("the modelled metadata service did not answer");
                    await new Promise((r) => setTimeout(r, 100));
                }
            }
        },
        remove,
    };
}

/**
 * A packet capture of UDP on loopback (lab/udpCapture.py, a raw packet socket): what a call's audio looks like
 * on the wire between Asterisk and a phone. Passive; it sends nothing.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { requireTool } from "./asterisk";

export interface Datagram {
    src: string;
    sport: number;
    dst: string;
    dport: number;
    payload: Buffer;
}

export interface UdpCapture {
    /** Stops capturing and returns every datagram seen to or from the addresses. */
    stop(): Promise<Datagram[]>;
}

/** Starts capturing UDP to or from any of `addresses` (all on 127.0.0.0/8); resolves once the socket is bound. */
export async function captureUdp(addresses: string[]): Promise<UdpCapture> {
    requireTool("python3");
    for (const address of addresses)
        if (!address.startsWith("127.")) throw new Error(`captures stay on loopback, not ${address}`);
    const dir = mkdtempSync(join(tmpdir(), "deskphone-capture-"));
    const file = join(dir, "datagrams.jsonl");
    const child = spawn(
        "setpriv",
        ["--pdeathsig", "KILL", "--", "python3", join(__dirname, "udpCapture.py"), file, ...addresses],
        {
            stdio: ["ignore", "pipe", "pipe"],
        },
    );
    let output = "";
    await new Promise<void>((resolve, reject) => {
        child.stdout!.on("data", (d) => {
            output += d;
            if (output.includes("capturing")) resolve();
        });
        child.stderr!.on("data", (d) => (output += d));
        child.once("exit", (code) => reject(new Error(`the capture exited (${code}) before it started:\n${output}`)));
    });
    return {
        async stop() {
            const exited = new Promise((resolve) => child.once("exit", resolve));
            child.kill("SIGTERM");
            await exited;
            const lines = readFileSync(file, "utf8").split("\n").filter(Boolean);
            rmSync(dir, { recursive: true, force: true });
            return lines.map((line) => {
                const d = JSON.parse(line) as Omit<Datagram, "payload"> & { payload: string };
                return { ...d, payload: Buffer.from(d.payload, "hex") };
            });
        },
    };
}

/** An RTP packet's payload type and payload (after the 12-byte header and any CSRCs), or undefined for another datagram. */
export function rtpPayload(datagram: Buffer): { payloadType: number; payload: Buffer } | undefined {
    if (datagram.length < 12 || datagram[0] >> 6 !== 2) return undefined;
    const payloadType = datagram[1] & 0x7f;
    // 72-76 are RTCP's packet types, carried on their own port.
    if (payloadType >= 72 && payloadType <= 76) return undefined;
    const csrcs = datagram[0] & 0x0f;
    return { payloadType, payload: datagram.subarray(12 + 4 * csrcs) };
}

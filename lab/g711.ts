import { pcmWav } from "./wav";

/** G.711 as it travels in RTP (µ-law, payload type 0; a-law, 8), decoded to a mono 8 kHz 16-bit WAV to listen to. */

function ulaw(byte: number): number {
    const u = ~byte & 0xff;
    const magnitude = ((((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4)) - 0x84;
    return u & 0x80 ? -magnitude : magnitude;
}

function alaw(byte: number): number {
    const a = byte ^ 0x55;
    const exponent = (a & 0x70) >> 4;
    const mantissa = a & 0x0f;
    const magnitude = exponent === 0 ? (mantissa << 4) + 8 : ((mantissa << 4) + 0x108) << (exponent - 1);
    return a & 0x80 ? magnitude : -magnitude;
}

/** The payloads, one after another, as a WAV. */
export function g711Wav(payloads: Buffer[], payloadType: 0 | 8): Buffer {
    const decode = payloadType === 0 ? ulaw : alaw;
    return pcmWav(payloads.flatMap((payload) => [...payload].map(decode)));
}

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
    const samples = payloads.reduce((n, p) => n + p.length, 0);
    const wav = Buffer.alloc(44 + samples * 2);
    wav.write("RIFF", 0);
    wav.writeUInt32LE(36 + samples * 2, 4);
    wav.write("WAVEfmt ", 8);
    wav.writeUInt32LE(16, 16);
    wav.writeUInt16LE(1, 20);
    wav.writeUInt16LE(1, 22);
    wav.writeUInt32LE(8000, 24);
    wav.writeUInt32LE(16000, 28);
    wav.writeUInt16LE(2, 32);
    wav.writeUInt16LE(16, 34);
    wav.write("data", 36);
    wav.writeUInt32LE(samples * 2, 40);
    let at = 44;
    for (const payload of payloads)
        for (const byte of payload) {
            wav.writeInt16LE(decode(byte), at);
            at += 2;
        }
    return wav;
}

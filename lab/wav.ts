/** 16-bit PCM WAV files: what the lab's phones send and what it makes of a captured call. */

/** A mono 16-bit PCM WAV of the samples at `rate` Hz. */
export function pcmWav(samples: ArrayLike<number>, rate = 8000): Buffer {
    const bytes = samples.length * 2;
    const wav = Buffer.alloc(44 + bytes);
    wav.write("RIFF", 0);
    wav.writeUInt32LE(36 + bytes, 4);
    wav.write("WAVEfmt ", 8);
    wav.writeUInt32LE(16, 16);
    wav.writeUInt16LE(1, 20); // PCM
    wav.writeUInt16LE(1, 22); // mono
    wav.writeUInt32LE(rate, 24);
    wav.writeUInt32LE(rate * 2, 28);
    wav.writeUInt16LE(2, 32);
    wav.writeUInt16LE(16, 34);
    wav.write("data", 36);
    wav.writeUInt32LE(bytes, 40);
    for (let i = 0; i < samples.length; i++) wav.writeInt16LE(samples[i], 44 + i * 2);
    return wav;
}

/** A mono 8 kHz WAV of a sine tone at `hz`: the voice the lab's phones send, or a greeting as a person records it. */
export function toneWav(hz: number, seconds: number): Buffer {
    const rate = 8000;
    return pcmWav(
        Array.from({ length: Math.round(seconds * rate) }, (_, i) =>
            Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate)),
        ),
        rate,
    );
}

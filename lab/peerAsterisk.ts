/**
 * A second Asterisk that talks to the office's as one SIP peer, where SIPp cannot (Debian's 3.6.1 has no
 * TLS): a desk phone that registers over TLS or UDP (bench:tls), or Twilio's edge over TLS (the Secure
 * Trunking test). It runs the build's stock configuration with its own PJSIP, dialplan and RTP ports.
 */
import { tlsCertificateFiles } from "../components/render/serverFiles";
import { RunningAsterisk, startAsterisk } from "./asterisk";
import { AsteriskBuild } from "./asteriskBuilds";
import { roles } from "./loopback";

export interface PeerOptions {
    transport: "udp" | "tls";
    /** Where it listens: `127.0.0.3:5061`. Over TLS it serves the lab's self-signed certificate. */
    bind: string;
    /** The office as it reaches it: `sip:127.0.0.1:5061;transport=tls`. */
    office: string;
    /** The dialplan context calls from the office land in. */
    context: string;
    /** SRTP (SDES) required, or plain RTP. */
    mediaEncryption: "sdes" | "no";
    /** Registers to the office as this phone. */
    registration?: { user: string; password: string };
}

/** Its pjsip.conf: one transport, the office as one endpoint (known by its address), and the registration if any. */
export function peerPjsip(peer: PeerOptions): string {
    const transport = `transport-${peer.transport}`;
    // `\;` keeps Asterisk's parser from reading the URI parameter as a comment.
    const office = peer.office.replace(";", "\\;");
    const certificate =
        peer.transport === "tls"
            ? [
                  `cert_file=${tlsCertificateFiles.certificate}`,
                  `priv_key_file=${tlsCertificateFiles.key}`,
                  "method=tlsv1_2",
              ]
            : [];
    const registration = peer.registration
        ? [
              ...["[office]", "type=registration", `transport=${transport}`, `server_uri=${office}`],
              ...[
                  `client_uri=sip:${peer.registration.user}@${roles.asterisk}`,
                  `contact_user=${peer.registration.user}`,
              ],
              ...["outbound_auth=office", "retry_interval=2", ""],
              ...["[office]", "type=auth", "auth_type=userpass", `username=${peer.registration.user}`],
              ...[`password=${peer.registration.password}`, ""],
          ]
        : [];
    return [
        ...[`[${transport}]`, "type=transport", `protocol=${peer.transport}`, `bind=${peer.bind}`, ...certificate, ""],
        ...registration,
        ...["[office]", "type=aor", `contact=${office}`, ""],
        ...["[office]", "type=endpoint", `transport=${transport}`, `context=${peer.context}`, "disallow=all"],
        ...["allow=ulaw,alaw", "aors=office", `media_encryption=${peer.mediaEncryption}`, ""],
        ...["[office]", "type=identify", "endpoint=office", `match=${roles.asterisk}`, ""],
    ].join("\n");
}

/** Starts it, with `extensions` as its extensions.conf and RTP on 30000–40000, clear of the office's. */
export function startPeerAsterisk(
    name: string,
    build: AsteriskBuild,
    peer: PeerOptions,
    extensions: string,
    verbosity = 3,
): Promise<RunningAsterisk> {
    return startAsterisk(
        {
            "pjsip.conf": peerPjsip(peer),
            "extensions.conf": extensions,
            "rtp.conf": "[general]\nrtpstart=30000\nrtpend=40000\n",
        },
        { build, name, stockConfig: true, bootTimeoutMs: 60_000, verbosity },
    );
}

// The plain alternative in the engine benchmark: a Pulumi program with one command resource that
// writes pjsip.conf to the server and reloads PJSIP.
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config("bench");
const script = "cat > /etc/asterisk/pjsip.conf && asterisk -rx 'module reload res_pjsip.so'";

new command.remote.Command("pjsip", {
    connection: {
        host: config.require("host"),
        port: config.requireNumber("port"),
        user: "root",
        privateKey: config.requireSecret("privateKey"),
    },
    create: script,
    update: script,
    stdin: config.require("pjsip"),
    addPreviousOutputInEnv: false,
});

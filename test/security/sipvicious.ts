/** Runs SIPVicious's tools (svmap, svwar, svcrack) from one address, the way the attack tests need them. */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * Runs a SIPVicious tool with its sockets bound to `from` (boundTo.py), to its end (bounded in time), and returns
 * everything it printed; inside the network namespace `netns` when given.
 */
export function runSipvicious(
    from: string,
    tool: string,
    args: string[],
    { timeoutMs = 45_000, netns }: { timeoutMs?: number; netns?: string } = {},
): Promise<string> {
    const command = [pythonOf(tool), join(__dirname, "boundTo.py"), from, tool, ...args];
    const [program, ...rest] = netns ? ["ip", "netns", "exec", netns, ...command] : command;
    return new Promise((resolve, reject) => {
        execFile(program, rest, { timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) => {
            const output = `${stdout}${stderr}`;
            if (error?.killed)
                reject(new Error(`${tool} ${args.join(" ")} did not finish in ${timeoutMs} ms:\n${output}`));
            else if (/is not installed|Traceback/.test(output))
                reject(new Error(`${tool} ${args.join(" ")} failed:\n${output}`));
            else resolve(output);
        });
    });
}

/** The Python a tool's script runs on (its #! line): the one SIPVicious is installed for, whichever python3 is first on PATH. */
function pythonOf(tool: string): string {
    const path = process.env
        .PATH!.split(":")
        .map((dir) => join(dir, tool))
        .find((p) => existsSync(p));
    if (!path) throw new Error(`${tool} is not installed (test/setup.sh installs sipvicious)`);
    const shebang = readFileSync(path, "utf8")
        .split("\n")[0]
        .match(/^#!\s*(\S+)/)?.[1];
    if (!shebang) throw new Error(`${path} is not a Python script`);
    return shebang;
}

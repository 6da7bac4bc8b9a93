// Starts the real platform (tests/frontend/e2e_stack.py: API serving the built console,
// gateway, simulator, seeded logins) and hands back what it printed once it answers.
import { spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");

export function startStack({ vehicles = 12, faultFraction = 0.5, interval = 2, duration = null } = {}) {
  const child = spawn(
    path.join(ROOT, ".venv", "bin", "python"),
    ["-m", "tests.frontend.e2e_stack", "--vehicles", String(vehicles), "--fault-fraction", String(faultFraction), "--interval", String(interval), ...(duration ? ["--duration", duration] : [])],
    { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = readline.createInterface({ input: child.stdout });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the e2e stack did not start within 120 s")), 120_000);
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the e2e stack exited with ${code} before it was ready`));
    });
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.stdin.end();
      setTimeout(() => child.kill("SIGTERM"), 15_000).unref();
    });
  return { ready, stop };
}

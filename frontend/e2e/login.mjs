import { totp } from "./totp.mjs";

const STEP_MS = 30_000;

/**
 * A TOTP code for `role`, never one of a step that role already used: the API spends a step on
 * use (a replayed code is refused), so a second sign-in within 30 s waits for the next step.
 */
async function freshCode(world, role) {
  world.usedTotpSteps ??= {};
  let step = Math.floor(Date.now() / STEP_MS);
  if ((world.usedTotpSteps[role] ?? -1) >= step) {
    await new Promise((resolve) => setTimeout(resolve, (step + 1) * STEP_MS - Date.now() + 250));
    step = Math.floor(Date.now() / STEP_MS);
  }
  world.usedTotpSteps[role] = step;
  return totp(world.users[role].totp, step * STEP_MS);
}

/** Signs in through the console's form, answering the second-factor step when asked. */
export async function signIn(page, world, role) {
  const user = world.users[role];
  await page.goto(`${world.url}/login`);
  await page.getByTestId("login-email").fill(user.email);
  await page.getByTestId("login-password").fill(world.password);
  await page.getByTestId("login-submit").click();
  if (user.totp) {
    await page.getByTestId("login-totp").waitFor();
    await page.getByTestId("login-totp").fill(await freshCode(world, role));
    await page.getByTestId("login-submit").click();
  }
  await page.getByTestId("side-menu").waitFor();
}

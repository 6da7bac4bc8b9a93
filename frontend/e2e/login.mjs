import { totp } from "./totp.mjs";

/** Signs in through the console's form, answering the second-factor step when asked. */
export async function signIn(page, world, role) {
  const user = world.users[role];
  await page.goto(`${world.url}/login`);
  await page.getByTestId("login-email").fill(user.email);
  await page.getByTestId("login-password").fill(world.password);
  await page.getByTestId("login-submit").click();
  if (user.totp) {
    await page.getByTestId("login-totp").waitFor();
    await page.getByTestId("login-totp").fill(totp(user.totp));
    await page.getByTestId("login-submit").click();
  }
  await page.getByTestId("side-menu").waitFor();
}

import { expect, type Browser, type Page } from "@playwright/test";
import { signInLinkFor } from "./mail";

export const uniqueEmail = (prefix: string) =>
  `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`;

/** Signs in through the real magic-link flow: form, email to the mail catcher, link. */
export async function signInByEmail(page: Page, email: string, callbackUrl = "/"): Promise<void> {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await page.goto(await signInLinkFor(email));
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

export async function signInAsDemo(page: Page, name: string, callbackUrl = "/"): Promise<void> {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  await page.getByRole("button", { name: new RegExp(`^Demo: sign in as ${name} \\(`) }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText(name);
}

/** Opens the first datapoint of a kind in a batch (by its slug). */
export async function openDatapoint(page: Page, batch: string, kindLabel: string): Promise<string> {
  await page.goto(`/datapoints?batch=${batch}`);
  const item = page
    .getByRole("list", { name: "Datapoints" })
    .getByRole("listitem")
    .filter({ hasText: kindLabel })
    .first();
  await item.getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: "Your vote" })).toBeVisible();
  return page.url();
}

/** A page in a fresh browser context: another person, with their own cookies (axe needs a context). */
export async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

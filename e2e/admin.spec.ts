import { expect, test } from "@playwright/test";
import { newPage, signInAsDemo, signInByEmail, uniqueEmail } from "./pages";

test("demo sign-in is labelled, and an admin grants and revokes a role", async ({ browser }) => {
  const citizen = await newPage(browser);
  await signInByEmail(citizen, uniqueEmail("promoted"));
  await citizen.goto("/profile");
  const pseudonym = (await citizen.getByTestId("pseudonym").textContent())!;

  const admin = await newPage(browser);
  await admin.goto("/signin");
  await expect(admin.getByRole("heading", { name: "Demo accounts" })).toBeVisible();
  await signInAsDemo(admin, "Demo Admin", "/admin/roles");
  await expect(admin.getByTestId("signed-in-as")).toContainText("demo");
  await admin.getByLabel("Find an account").fill(pseudonym);
  await admin.getByRole("button", { name: "Search", exact: true }).click();
  const row = admin.getByTestId(`user-${pseudonym}`);
  await row.getByRole("button", { name: "Grant moderator" }).click();
  await expect(row.getByTestId(`role-${pseudonym}-MODERATOR-message`)).toHaveText("Granted moderator.");
  await admin.reload();
  await expect(admin.getByTestId(`user-${pseudonym}`)).toContainText("citizen, moderator");

  await citizen.goto("/profile");
  await expect(citizen.getByText("citizen, moderator")).toBeVisible();

  await admin.getByTestId(`user-${pseudonym}`).getByRole("button", { name: "Revoke moderator" }).click();
  await expect(admin.getByTestId(`role-${pseudonym}-MODERATOR-message`)).toHaveText("Revoked moderator.");
});

test("a citizen cannot open the roles page", async ({ page }) => {
  await signInByEmail(page, uniqueEmail("nosy"));
  await page.goto("/admin/roles");
  await expect(page.getByText("Only admins can assign roles.")).toBeVisible();
});

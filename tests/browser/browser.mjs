// A real browser through reti's pages: home → a network → a city, by clicking; the query page
// runs a stored query and shows its results as a table; the phone layout does not overflow.
//
//   node browser.mjs http://127.0.0.1:PORT/ [--screenshots DIR]
//
// Starts nothing but Chromium: the server is given. Prints "N passed, N failed" last and exits
// non-zero when anything failed.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const args = process.argv.slice(2);
const base = args.find((a) => /^https?:\/\//.test(a));
const shotsAt = args.indexOf("--screenshots");
const shots = shotsAt >= 0 ? args[shotsAt + 1] : null;
if (!base) {
  console.error("usage: node browser.mjs http://127.0.0.1:PORT/ [--screenshots DIR]");
  process.exit(2);
}
const url = (path) => new URL(path, base).toString();
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e && e.stack ? e.stack : e).split("\n").join("\n     ")}`);
  }
}
function expect(condition, message) {
  if (!condition) throw new Error(message);
}

const profile = mkdtempSync(join(tmpdir(), "reti-chromium-"));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
    locale: "en-GB",
    viewport: { width: 1200, height: 900 },
  });
} catch (e) {
  console.log(`FAIL launching ${executablePath}: ${e.message}`);
  console.log("0 passed, 1 failed");
  rmSync(profile, { recursive: true, force: true });
  process.exit(1);
}
// Nothing may be fetched from anywhere but the server under test.
const outside = [];
await context.route("**/*", (route) => {
  const u = new URL(route.request().url());
  if (u.origin !== new URL(base).origin) {
    outside.push(u.toString());
    return route.abort();
  }
  return route.continue();
});
const page = context.pages()[0] || (await context.newPage());
const consoleErrors = [];
page.on("pageerror", (e) => consoleErrors.push(String(e)));
// a 400 for the deliberate syntax error and the 404 of /favicon.ico are logged as resource
// errors: only script errors count
page.on("console", (m) => {
  if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) consoleErrors.push(m.text());
});
page.setDefaultTimeout(15000);

await check("home page → UCCN → Turin, by clicking links", async () => {
  await page.goto(url("/"));
  expect((await page.locator("h1").textContent()).trim() === "Networks of cities", "home heading");
  await page.getByRole("link", { name: "UNESCO Creative Cities Network" }).first().click();
  await page.waitForURL(/\/doc\/network\/uccn$/);
  expect((await page.locator("h1").textContent()).trim() === "UNESCO Creative Cities Network", "network heading");
  const rows = await page.locator("table.members tbody tr").count();
  expect(rows === 8, `8 members in the table, got ${rows}`);
  // the row whose member cell is Turin (every row names "the City of Turin" as a source)
  const turinRow = page
    .locator("table.members tbody tr")
    .filter({ has: page.locator("th", { hasText: /^\s*Turin\s*$/ }) });
  const cells = (await turinRow.locator("th, td").allTextContents()).map((c) => c.trim());
  expect(
    cells[0] === "Turin" && cells[2] === "Design" && cells[3] === "2014" &&
      cells[4].includes("Designation years of the Italian UNESCO Creative Cities"),
    `Turin row: ${cells}`,
  );
  if (shots) await page.screenshot({ path: join(shots, "uccn.png"), fullPage: true });
  await turinRow.getByRole("link", { name: "Turin", exact: true }).click();
  await page.waitForURL(/\/doc\/place\/turin$/);
  expect((await page.locator("h1").textContent()).trim() === "Turin", "city heading");
  const networks = await page.locator("table.memberships tbody tr").allTextContents();
  expect(networks.some((r) => r.includes("UNESCO Creative Cities Network") && r.includes("2014")), "Turin's networks");
  if (shots) await page.screenshot({ path: join(shots, "turin.png"), fullPage: true });
});

await check("the language switch gives the Italian page", async () => {
  await page.getByRole("link", { name: "Italiano" }).click();
  await page.waitForURL(/lang=it/);
  expect((await page.locator("h1").textContent()).trim() === "Torino", "Italian heading");
  expect((await page.locator("html").getAttribute("lang")) === "it", "html lang");
});

await check("embedded JSON-LD parses in the browser", async () => {
  await page.goto(url("/doc/network/uccn"));
  const json = await page.locator('script[type="application/ld+json"]').textContent();
  const doc = JSON.parse(json);
  expect(doc["@type"] === "Organization" && doc.member.length === 8, "Organization with 8 members");
});

await check("query page: pick a stored query, Run, results table", async () => {
  await page.goto(url("/sparql"));
  await page.selectOption("#stored", "turin-offices");
  const text = await page.inputValue("#query");
  expect(text.includes("# title: The offices Turin holds"), "the textarea holds the stored query");
  await page.getByRole("button", { name: "Run" }).click();
  await page.waitForSelector("table.results tbody tr");
  const header = (await page.locator("table.results thead th").allTextContents()).map((c) => c.trim());
  expect(header.join(",") === "organization,organizationLabel,office,officeLabel", `columns: ${header}`);
  const rows = await page.locator("table.results tbody tr").allTextContents();
  expect(rows.length >= 4, `at least 4 offices, got ${rows.length}`);
  expect(rows.some((r) => r.includes("Presidency")), "GAI presidency");
  expect(rows.some((r) => r.includes("BJCEM")), "BJCEM's general secretariat");
  const csv = await page.getByRole("link", { name: "CSV" }).getAttribute("href");
  expect(csv === "/queries/turin-offices?format=csv", `CSV link: ${csv}`);
  const response = await page.request.get(url(csv));
  expect(response.ok() && (await response.text()).startsWith("organization,"), "CSV download");
});

await check("query page: an edited query runs, errors are shown, CONSTRUCT shows Turtle", async () => {
  await page.goto(url("/sparql?example=networks-of-a-city"));
  await page.fill("#query", "SELECT ?n WHERE { ?n a <https://w3id.org/reti/ontology#Network> } ORDER BY ?n");
  await page.getByRole("button", { name: "Run" }).click();
  await page.waitForSelector("table.results tbody tr");
  expect((await page.locator("table.results tbody tr").count()) === 5, "5 networks");
  const json = await page.getByRole("link", { name: "JSON" }).getAttribute("href");
  expect(json.startsWith("/sparql?query=") && json.endsWith("&format=json"), `JSON link: ${json}`);
  await page.fill("#query", "SELECT ?x WHERE { ?x ");
  await page.getByRole("button", { name: "Run" }).click();
  await page.waitForSelector("#error:not([hidden])");
  expect((await page.locator("#error").textContent()).includes("not valid SPARQL"), "syntax error shown");
  await page.fill("#query", "CONSTRUCT { ?n a <https://w3id.org/reti/ontology#Network> } WHERE { ?n a <https://w3id.org/reti/ontology#Network> }");
  await page.getByRole("button", { name: "Run" }).click();
  await page.waitForSelector("#results pre");
  expect((await page.locator("#results pre").textContent()).includes("uccn"), "Turtle shown");
});

await check("the 'query this resource' link prefills the query page", async () => {
  await page.goto(url("/doc/place/turin"));
  await page.locator("a.query-this").click();
  await page.waitForURL(/\/sparql#query=/);
  expect((await page.inputValue("#query")).includes("/id/place/turin>"), "prefilled");
  await page.getByRole("button", { name: "Run" }).click();
  await page.waitForSelector("table.results tbody tr");
  expect((await page.locator("table.results tbody tr").count()) > 5, "Turin's statements");
});

await check("phone layout: nothing wider than the screen but scrolling tables", async () => {
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 360, height: 740 });
  for (const path of ["/", "/doc/network/uccn", "/doc/place/turin", "/sparql", "/dumps/", "/queries/networks-of-a-city"]) {
    await phone.goto(url(path));
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width <= 360, `${path} is ${width}px wide on a 360px screen`);
  }
  await phone.goto(url("/doc/network/uccn"));
  if (shots) await phone.screenshot({ path: join(shots, "uccn-phone.png"), fullPage: true });
  await phone.goto(url("/doc/place/turin"));
  if (shots) await phone.screenshot({ path: join(shots, "turin-phone.png"), fullPage: true });
  await phone.close();
});

await check("no script errors, nothing fetched from outside", async () => {
  expect(consoleErrors.length === 0, `console errors: ${consoleErrors.join("; ")}`);
  expect(outside.length === 0, `outside requests: ${outside.join(", ")}`);
});

await context.close();
rmSync(profile, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

// A real browser through reti's pages, with the network cut off (any request to another origin
// is blocked and fails the run): home → a network → a city, by clicking; the query page
// (YASGUI) runs three queries with highlighting, an error marker on the right line, sorting,
// paging and a share link reopened; the search box suggests as one types; no kind of page
// scrolls sideways at 390 px; axe-core finds no violation of any impact on any kind of page at
// 1280 and 390 px.
//
//   node browser.mjs http://127.0.0.1:PORT/ [--screenshots DIR]
//
// Starts nothing but Chromium: the server is given. Prints "N passed, N failed" last and exits
// non-zero when anything failed.
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
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
const axeSource = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
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
    viewport: { width: 1280, height: 900 },
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


// YASGUI: the editor's text, its query run, its results table
const editorText = (p) => p.evaluate(() => window.retiYasgui.getTab().getQuery());
async function setQuery(p, q) {
  await p.evaluate((text) => { window.retiYasgui.getTab().setQuery(text); return true; }, q);
}
async function runQuery(p) {
  await p.locator(".yasqe_queryButton").click();
  await p.waitForSelector(".yasr_response_chip");
  await p.waitForFunction(() => !document.querySelector(".yasqe_queryButton.busy"));
}
const columnCells = (p, col) =>
  p.locator(`.yasr table.dataTable tbody tr td:nth-child(${col + 1})`).allTextContents();

await check("query page is YASGUI: a stored query, highlighted, run, in a table", async () => {
  await page.goto(url("/sparql?example=turin-offices"));
  await page.waitForSelector("#yasgui .yasqe .CodeMirror");
  expect(await page.locator("#query-form").isHidden(), "the plain form steps aside");
  expect((await editorText(page)).includes("# title: The offices Turin holds"), "the stored query is in the editor");
  // highlighting: keywords, variables and prefixed names are tokens of their own
  const keywords = await page.locator(".yasqe .cm-keyword").allTextContents();
  expect(keywords.some((k) => k.toUpperCase() === "SELECT"), `SELECT highlighted: ${keywords}`);
  expect((await page.locator(".yasqe .cm-variable-2, .yasqe .cm-atom").count()) > 0, "variables highlighted");
  await runQuery(page);
  const header = (await page.locator(".yasr table.dataTable thead th .dt-column-title").allTextContents()).map((c) => c.trim()).slice(1);
  expect(header.join(",") === "organization,organizationLabel,office,officeLabel", `columns: ${header}`);
  const rows = await page.locator(".yasr table.dataTable tbody tr").allTextContents();
  expect(rows.length >= 4, `at least 4 offices, got ${rows.length}`);
  expect(rows.some((r) => r.includes("Presidency")), "GAI presidency");
  // the stored queries are offered in the editor too
  await page.selectOption("#stored-editor", "networks-of-a-city");
  expect((await editorText(page)).includes("networks-of-a-city") || (await editorText(page)).includes("# title:"), "stored query loaded");
});

await check("query page: sorting and paging a large result", async () => {
  await setQuery(page, "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 120");
  await runQuery(page);
  await page.waitForSelector(".yasr .dt-info");
  const info = await page.locator(".yasr .dt-info").textContent();
  expect(/of 120 entries/.test(info), `120 rows, paged: ${info}`);
  const firstPage = await columnCells(page, 2);
  expect(firstPage.length === 50, `a page of 50 rows, got ${firstPage.length}`);
  await page.locator(".yasr .dt-paging-button.next").click();
  const secondPage = await columnCells(page, 2);
  expect(secondPage.length === 50 && secondPage[0] !== firstPage[0], "the next page shows other rows");
  expect(/51 to 100 of 120/.test(await page.locator(".yasr .dt-info").textContent()), "page 2 of 3");
  // sort by the subject: ascending, then descending
  const subjectHeader = page.locator(".yasr table.dataTable thead th").nth(1);
  const sortedAs = (dir) => page.waitForFunction((d) =>
    document.querySelectorAll(".yasr table.dataTable thead th")[1].getAttribute("aria-sort") === d, dir);
  const outOfOrder = (xs) => xs.findIndex((x, i) => i > 0 && xs[i - 1].toLowerCase() > x.toLowerCase());
  await subjectHeader.click();
  await sortedAs("ascending");
  // the table orders IRIs by the IRI, which a cell shows shortened and links to
  const subjects = () => page.locator(".yasr table.dataTable tbody tr td:nth-child(2) a").evaluateAll((as) => as.map((a) => a.href));
  const asc = await subjects();
  expect(asc.length === 50 && outOfOrder(asc) < 0, `sorted ascending: ${asc.slice(Math.max(0, outOfOrder(asc) - 1), outOfOrder(asc) + 1)}`);
  await subjectHeader.click();
  await sortedAs("descending");
  const desc = await subjects();
  expect(outOfOrder([...desc].reverse()) < 0 && desc[0].toLowerCase() > asc[0].toLowerCase(), `sorted descending: ${desc.slice(0, 3)}`);
});

await check("query page: a syntax error is marked on its line; a share link reopens the query", async () => {
  const bad = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?x\nWHERE {\n  ?x skos:prefLabel ?l ]\n}\n";
  await setQuery(page, bad);
  await page.waitForSelector(".yasqe .parseErrorIcon");
  const line = await page.evaluate(() => {
    const icon = document.querySelector(".yasqe .parseErrorIcon");
    const wrapper = icon.closest(".CodeMirror-gutter-wrapper");
    return wrapper.querySelector(".CodeMirror-linenumber").textContent.trim();
  });
  expect(line === "4", `error marked on line ${line}, not 4`);
  expect((await page.locator(".yasqe .parseErrorIcon").count()) === 1, "one marker");
  // a third query, then its address in a fresh page
  const q = "SELECT ?network (COUNT(?m) AS ?members)\nWHERE { ?m <http://www.w3.org/ns/org#organization> ?network }\nGROUP BY ?network\nORDER BY DESC(?members)";
  await setQuery(page, q);
  await runQuery(page);
  expect((await page.locator(".yasr table.dataTable tbody tr").count()) >= 5, "members per network");
  const shared = page.url();
  expect(shared.includes("#query="), `the address keeps the query: ${shared}`);
  const other = await context.newPage();
  await other.goto(shared);
  await other.waitForSelector("#yasgui .yasqe .CodeMirror");
  const reopened = await other.evaluate(() => window.retiYasgui.getTab().getQuery());
  expect(reopened === q, `the share link reopens the query: ${reopened}`);
  await other.close();
});

await check("the 'query this resource' link opens its query in the editor", async () => {
  await page.goto(url("/doc/place/turin"));
  await page.locator("a.query-this").click();
  await page.waitForURL(/\/sparql#query=/);
  await page.waitForSelector("#yasgui .yasqe .CodeMirror");
  expect((await editorText(page)).includes("/id/place/turin>"), "prefilled");
  await runQuery(page);
  expect((await page.locator(".yasr table.dataTable tbody tr").count()) > 5, "Turin's statements");
});

await check("search as you type: forli, reggio, creative", async () => {
  await page.goto(url("/doc/network/uccn"));
  const box = page.locator("#site-search");
  await box.fill("fo");
  await box.pressSequentially("rli");
  const first = page.locator("#site-search-list li").first();
  await first.waitFor();
  expect((await first.textContent()).includes("Forlì"), `first suggestion: ${await first.textContent()}`);
  expect((await box.getAttribute("aria-expanded")) === "true", "the list is announced as open");
  await box.press("ArrowDown");
  await box.press("Enter");
  await page.waitForURL(/\/doc\/place\/forli$/);
  expect((await page.locator("h1").textContent()).trim() === "Forlì", "Forlì's page");

  await page.locator("#site-search").pressSequentially("reggio");
  await page.locator("#site-search-list li", { hasText: "Reggio Emilia" }).first().click();
  await page.waitForURL(/\/doc\/place\/reggio-emilia$/);

  await page.locator("#site-search").pressSequentially("creative");
  await page.locator("#site-search-list li", { hasText: "UNESCO Creative Cities Network" }).first().waitFor();
  // Enter without choosing: the results page
  await page.locator("#site-search").press("Enter");
  await page.waitForURL(/\/search\?q=creative/);
  const results = await page.locator("ol.search-results li a").allTextContents();
  expect(results.includes("UNESCO Creative Cities Network"), `results: ${results}`);
  // one letter: no suggestions
  await page.locator("#site-search").fill("");
  await page.locator("#site-search").pressSequentially("b");
  await page.waitForTimeout(400);
  expect(await page.locator("#site-search-list").isHidden(), "no suggestions after one letter");
});

// Every kind of page, for the layout and accessibility checks.
const kinds = [
  "/", "/?lang=it", "/doc/network/uccn", "/doc/place/turin?lang=it", "/doc/membership/uccn-turin",
  "/doc/source/uccn-designations", "/sparql", "/queries/", "/queries/networks-of-a-city",
  "/queries/turin-offices", "/dumps/", "/report", "/ontology", "/catalog", "/.well-known/void",
  "/search?q=reggio", "/no/such/page",
];
await check("no kind of page scrolls sideways at 390 px", async () => {
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  const wide = [];
  for (const path of kinds) {
    await phone.goto(url(path));
    if (path === "/sparql") await phone.waitForSelector("#yasgui .yasqe .CodeMirror");
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390) wide.push(`${path}: ${width}px`);
    if (shots) await phone.screenshot({ path: join(shots, `phone${path.replace(/[^a-z0-9]+/gi, "-")}.png`), fullPage: true });
  }
  // the results of a query, on a phone
  await phone.goto(url("/sparql?example=turin-offices"));
  await phone.waitForSelector("#yasgui .yasqe .CodeMirror");
  await runQuery(phone);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  if (width > 390) wide.push(`/sparql with results: ${width}px`);
  // a network's members are readable on a phone: every column is on the screen
  await phone.goto(url("/doc/network/uccn"));
  const offscreen = await phone.evaluate(() =>
    [...document.querySelectorAll("table.members td, table.members th")]
      .filter((c) => c.getBoundingClientRect().right > window.innerWidth + 1).length);
  expect(offscreen === 0, `${offscreen} member cells off-screen`);
  await phone.close();
  expect(wide.length === 0, `wider than the screen: ${wide.join("; ")}`);
});

async function axeViolations(p) {
  await p.evaluate(axeSource);
  const result = await p.evaluate(async () =>
    await window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations.map((v) =>
    `${v.impact} ${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join(" | ")}`);
}

await check("axe-core: no violation of any impact on any kind of page at 1280 and 390 px", async () => {
  const found = [];
  const p = await context.newPage();
  for (const width of [1280, 390]) {
    await p.setViewportSize({ width, height: 900 });
    for (const path of kinds) {
      await p.goto(url(path));
      if (path === "/sparql") await p.waitForSelector("#yasgui .yasqe .CodeMirror");
      for (const v of await axeViolations(p)) found.push(`${width}px ${path}: ${v}`);
    }
    // the query page with results, and with suggestions open
    await p.goto(url("/sparql?example=turin-offices"));
    await p.waitForSelector("#yasgui .yasqe .CodeMirror");
    await runQuery(p);
    for (const v of await axeViolations(p)) found.push(`${width}px /sparql with results: ${v}`);
    await p.goto(url("/"));
    await p.locator("#site-search").pressSequentially("torino");
    await p.locator("#site-search-list li").first().waitFor();
    for (const v of await axeViolations(p)) found.push(`${width}px / with suggestions: ${v}`);
  }
  await p.close();
  expect(found.length === 0, `axe:\n       ${found.join("\n       ")}`);
});

await check("no script errors, nothing fetched from outside", async () => {
  expect(consoleErrors.length === 0, `console errors: ${consoleErrors.join("; ")}`);
  expect(outside.length === 0, `outside requests: ${outside.join(", ")}`);
});

await context.close();
rmSync(profile, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

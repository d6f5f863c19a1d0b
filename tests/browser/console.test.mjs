// GraphiQL and the map in a real browser (Debian's Chromium through puppeteer-core),
// against a real server on a random port over a fresh SQLite database with the seed
// data, with every host but 127.0.0.1 unreachable: the test fails on any request
// that leaves it, on any Content-Security-Policy violation and on any page error.
// Screenshots of each step go to $SCREENSHOTS (default target/browser-screenshots).
//
//   node tests/browser/console.test.mjs [path/to/garrison]
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import assert from "node:assert/strict";
import puppeteer from "puppeteer-core";

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = resolve(process.argv[2] ?? join(ROOT, "target/debug/garrison"));
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SHOTS = resolve(process.env.SCREENSHOTS ?? join(ROOT, "target/browser-screenshots"));
const STEP_TIMEOUT = 20_000;

const freePort = () =>
  new Promise((done) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });

async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), "garrison-browser-"));
  const env = { ...process.env, DATABASE_URL: `sqlite://${join(dir, "garrison.db")}?mode=rwc` };
  const port = await freePort();
  const child = spawn(BIN, ["serve", "--bind", `127.0.0.1:${port}`], { env, stdio: ["ignore", "ignore", "inherit"] });
  const address = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${address}/readyz`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // A reader cleared for AMBER: the satellite imagery behind the An-124s is AMBER.
  const token = execFileSync(BIN, ["token", "create", "--role", "editor", "--clearance", "AMBER", "--name", "browser"], { env })
    .toString()
    .trim();
  return { address, token, stop: () => (child.kill(), rmSync(dir, { recursive: true, force: true })) };
}

async function graphql(server, query, variables = {}) {
  const response = await fetch(`${server.address}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${server.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const answer = await response.json();
  assert.ok(!answer.errors, JSON.stringify(answer.errors));
  return answer.data;
}

/** Creates an event at Tartus attested by the first report, over HTTP. */
async function createEvent(server, title) {
  const { reports } = await graphql(server, "{ reports(first: 1) { nodes { id } } }");
  const input = {
    kind: "STATEMENT",
    status: "REPORTED",
    title,
    occurred: "2024-12-15",
    place: { name: "Tartus", country: "SY", location: { latitude: 34.9125, longitude: 35.8736 } },
    attestations: [{ report: reports.nodes[0].id, excerpt: "seen from the browser test", credibility: 3 }],
  };
  await graphql(server, "mutation($i: CreateEventInput!) { createEvent(input: $i) { event { id } } }", { i: input });
}

const steps = [];
async function step(name, page, body) {
  const started = Date.now();
  await body();
  await page.screenshot({ path: join(SHOTS, `${String(steps.length + 1).padStart(2, "0")}-${name}.png`) });
  steps.push(name);
  console.log(`ok ${steps.length} - ${name} (${Date.now() - started} ms)`);
}

const server = await startServer();
mkdirSync(SHOTS, { recursive: true });
const browser = await puppeteer.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--no-sandbox",
    "--window-size=1400,900",
    // Nothing but the server resolves: a page that fetched from a CDN would fail.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
  ],
  defaultViewport: { width: 1400, height: 900 },
});
const leaks = [];
const problems = [];
const page = await browser.newPage();
try {
  page.setDefaultTimeout(STEP_TIMEOUT);
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol === "data:" || url.host === new URL(server.address).host) return request.continue();
    leaks.push(request.url());
    request.abort();
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  await page.evaluateOnNewDocument(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });

  await step("graphiql-example-query", page, async () => {
    const response = await page.goto(`${server.address}/`);
    assert.match(response.headers()["content-security-policy"], /default-src 'self'/);
    await page.waitForSelector(".graphiql-execute-button");
    await page.click(".graphiql-execute-button");
    await page.waitForFunction(() => document.querySelector(".result-window")?.innerText.includes("Hmeimim"));
  });

  await step("graphiql-subscription", page, async () => {
    await page.evaluate(() => {
      const editor = document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror;
      editor.setValue("subscription { eventReported { title occurred { edtf } } }");
    });
    // GraphiQL parses the editor's text after a pause in typing.
    await new Promise((r) => setTimeout(r, 800));
    await page.click(".graphiql-execute-button");
    // The subscription is open once the button offers to stop it.
    await new Promise((r) => setTimeout(r, 1500));
    await createEvent(server, "Subscribed from GraphiQL");
    await page.waitForFunction(() =>
      document.querySelector(".result-window")?.innerText.includes("Subscribed from GraphiQL"),
    );
  });

  await step("map-bases", page, async () => {
    // The map reads with the headers written in GraphiQL's editor.
    await page.evaluate((token) => {
      localStorage.setItem("graphiql:headers", JSON.stringify({ Authorization: `Bearer ${token}` }));
    }, server.token);
    await page.goto(`${server.address}/map`);
    await page.waitForSelector("body[data-ready=true]");
    const bases = await page.evaluate(() => {
      const { map, state } = window.garrisonMap;
      const box = map.getContainer().getBoundingClientRect();
      return [...state.bases.values()].map(({ base, marker }) => {
        const at = map.latLngToContainerPoint(marker.getLatLng());
        const drawn = marker.getElement().getBoundingClientRect();
        return {
          name: base.name,
          latitude: marker.getLatLng().lat,
          longitude: marker.getLatLng().lng,
          offset: Math.hypot(drawn.x + drawn.width / 2 - box.x - at.x, drawn.y + drawn.height / 2 - box.y - at.y),
          inside: drawn.x >= box.x && drawn.right <= box.right && drawn.y >= box.y && drawn.bottom <= box.bottom,
        };
      });
    });
    const hmeimim = bases.find((b) => b.name === "Hmeimim Air Base");
    const tartus = bases.find((b) => b.name === "Tartus naval base");
    assert.deepEqual([hmeimim.latitude, hmeimim.longitude], [35.4011, 35.9486]);
    assert.deepEqual([tartus.latitude, tartus.longitude], [34.9125, 35.8736]);
    for (const base of [hmeimim, tartus]) {
      assert.ok(base.inside, `${base.name} is in view`);
      assert.ok(base.offset < 3, `${base.name} is drawn at its coordinates (${base.offset} px off)`);
    }
  });

  await step("map-hmeimim-panel", page, async () => {
    const point = await page.evaluate(() => {
      const { marker } = [...window.garrisonMap.state.bases.values()].find(({ base }) => base.name.startsWith("Hmeimim"));
      const box = marker.getElement().getBoundingClientRect();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    });
    await page.mouse.click(point.x, point.y);
    await page.waitForFunction(() => {
      const text = document.getElementById("panel-body").innerText;
      return text.includes("An-124 transport aircraft at Hmeimim") && text.includes("Satellite footage of Hmeimim air base");
    });
    const panel = await page.$eval("#panel-body", (el) => el.innerText);
    assert.match(panel, /Operated and hosted by/);
    assert.match(panel, /reliability/);
  });

  await step("timeline-december-2024", page, async () => {
    await page.click("#panel-close");
    const december = await page.evaluate(() =>
      [...document.querySelectorAll('g.span[data-kind="event"]')]
        .map((g) => ({ id: g.dataset.id, width: +g.querySelector("rect").getAttribute("width") }))
        .filter(({ id }) => {
          const { event } = window.garrisonMap.state.events.get(id);
          return event.occurred?.edtf.includes("2024-12");
        }),
    );
    assert.ok(december.length >= 8, `December 2024 events on the timeline: ${december.length}`);
    assert.ok(december.every((d) => d.width >= 2));
  });

  await step("time-range-filters-map", page, async () => {
    const count = () => page.$$eval("path.event-marker", (markers) => markers.length);
    const before = await count();
    assert.ok(before >= 2, `event markers before: ${before}`);
    const svg = await page.$eval("#timeline-svg", (el) => {
      const box = el.getBoundingClientRect();
      return { x: box.x, y: box.y, width: box.width, height: box.height };
    });
    // A range at the left of the view, before December 2024: the markers go.
    await page.mouse.move(svg.x + 100, svg.y + svg.height / 2);
    await page.mouse.down();
    await page.mouse.move(svg.x + 160, svg.y + svg.height / 2, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((n) => document.querySelectorAll("path.event-marker").length < n, {}, before);
    assert.match(await page.$eval("#range", (el) => el.textContent), /events on the map/);
    await page.screenshot({ path: join(SHOTS, "06a-range-before-december.png") });
    // A click outside the range clears it: all time, and they come back.
    await page.mouse.click(svg.x + svg.width - 60, svg.y + svg.height / 2);
    await page.waitForFunction((n) => document.querySelectorAll("path.event-marker").length === n, {}, before);
  });

  await step("map-live-event", page, async () => {
    const before = await page.$$eval("path.event-marker", (markers) => markers.length);
    await createEvent(server, "Live on the map");
    await page.waitForFunction(() => document.getElementById("toast").textContent.includes("Live on the map"));
    await page.waitForFunction((n) => document.querySelectorAll("path.event-marker.new").length === 1 &&
      document.querySelectorAll("path.event-marker").length === n + 1, {}, before);
  });

  assert.deepEqual(leaks, [], "requests to other hosts");
  assert.deepEqual(problems, [], "page errors and policy violations");
  console.log(`browser tests: ${steps.length} steps passed; screenshots in ${SHOTS}`);
} catch (error) {
  await page.screenshot({ path: join(SHOTS, "failed.png") }).catch(() => {});
  console.error(`not ok ${steps.length + 1}; requests to other hosts: ${JSON.stringify(leaks)}; ` +
    `page problems: ${JSON.stringify(problems)}; screenshot: ${join(SHOTS, "failed.png")}`);
  throw error;
} finally {
  await browser.close();
  server.stop();
}

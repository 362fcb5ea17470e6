// Site search on /cerca/ and /en/search/, with Pagefind's JS API (no ready-made UI: it
// would inject inline styles, which the CSP forbids).  Loaded only by the search page.
// The page's form, its status line and its result list are in the HTML; this script only
// fills them.  Strings come from the form's data-msg-* attributes (templates/strings.yaml).
// Filters (kind: news/page, tag) and the order come from the pages' data-pagefind-filter and
// data-pagefind-sort attributes; they are in the address too (?q=…&kind=news&tag=…&sort=date).
//
// The index is in shards (sitegen/search_shards.py): pagefind/pages/ (every page that is not
// a news item; the primary bundle, with Pagefind's worker and WebAssembly) and one folder per
// language and year of news (pagefind/news-it-2025/), or per quarter in a year of more than
// 500 items of that language (pagefind/news-it-2025q3/), listed in pagefind/shards.json.
// The page merges its language's shards with Pagefind's mergeIndex; each merged shard carries
// a filter of its own name ("shard"), which the sort by date uses.  Requests, all to the
// site itself: pagefind.js, shards.json, the worker and the WebAssembly, then per shard of the
// language (S = 1 + its news shards) the entry and the meta file (2 S) and the filter
// chunks for the tag list (at most 2 S); per word searched, one word chunk per shard (at most
// 2 when the word's prefixes span two chunks); one fragment per result shown (10 a page).

const PAGE_SIZE = 10;
const DELAY_MS = 200;
const PRIMARY = "pages"; // the shard with Pagefind's worker and WebAssembly

const form = document.querySelector("form[data-search]");
if (form) {
  start(form);
}

function start(form) {
  const input = form.querySelector("input[name=q]");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const data = form.dataset;
  const msg = { loading: data.msgLoading, none: data.msgNone, one: data.msgOne, many: data.msgMany,
                more: data.msgMore, error: data.msgError };
  const none = document.getElementById("search-none");
  const fieldset = document.getElementById("search-filters");
  const choices = { kind: form.elements.kind, tag: form.elements.tag, sort: form.elements.sort };
  document.getElementById("search-nojs").hidden = true;

  let pagefind = null;
  let loading = null;
  let timer = 0;
  let latest = 0;
  let more = null;

  // Pagefind's script, WebAssembly and index load on the first search, not with the page.
  function load() {
    if (!loading) {
      const folder = new URL(".", new URL(data.pagefind, window.location.href));
      const listed = fetch(new URL("shards.json", folder)).then((response) => {
        if (!response.ok) throw new Error(`shards.json: ${response.status}`);
        return response.json();
      });
      loading = Promise.all([import(data.pagefind), listed]).then(async ([module, listing]) => {
        const common = { baseUrl: data.baseUrl, excerptLength: 24 };
        await module.options({ ...common, basePath: `${folder.pathname}${PRIMARY}/` });
        module.init();
        const lang = document.documentElement.lang.toLowerCase().split("-")[0];
        // Newest first: the order of the sort by date, and of equal scores.
        const names = listing.shards.filter((shard) => shard.lang === lang).map((shard) => shard.name).sort().reverse();
        await Promise.all(names.map((name) =>
          module.mergeIndex(`${folder.pathname}${name}/`, { ...common, mergeFilter: { shard: name } })));
        await offerTags(module, choices.tag);
        if (fieldset) fieldset.hidden = false;
        pagefind = { module, shards: names };
        return pagefind;
      });
    }
    return loading;
  }

  async function run() {
    const query = input.value.trim();
    const ticket = ++latest;
    const url = new URL(window.location.href);
    for (const [name, value] of [["q", query], ...Object.entries(choices).map(([k, c]) => [k, c ? c.value : ""])]) {
      if (value) url.searchParams.set(name, value); else url.searchParams.delete(name);
    }
    window.history.replaceState(null, "", url);
    if (none) none.hidden = true;
    if (!query) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    if (!pagefind) status.textContent = msg.loading;
    let results;
    try {
      results = await matching(await load(), query, chosen(choices));
    } catch (error) {
      if (ticket === latest) status.textContent = msg.error;
      throw error;
    }
    if (ticket !== latest || results === null) return; // a newer query is on its way
    list.replaceChildren();
    await show(results, 0, ticket);
    if (ticket !== latest) return;
    const count = results.length;
    const text = count === 0 ? msg.none : count === 1 ? msg.one : msg.many;
    status.textContent = text.replace("{count}", String(count)).replace("{query}", query);
    if (none) none.hidden = count !== 0;
  }

  async function show(results, from, ticket) {
    const slice = results.slice(from, from + PAGE_SIZE);
    const items = await Promise.all(slice.map((result) => result.data()));
    if (ticket !== latest) return;
    if (more) {
      more.remove();
      more = null;
    }
    for (const result of items) list.append(item(result));
    if (from + PAGE_SIZE < results.length) {
      more = document.createElement("button");
      more.type = "button";
      more.className = "search-more";
      more.textContent = msg.more;
      more.addEventListener("click", async () => {
        const first = list.children.length;
        await show(results, from + PAGE_SIZE, ticket);
        const link = list.children[first]?.querySelector("a");
        if (link) link.focus();
      });
      list.after(more);
    }
  }

  input.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, DELAY_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    run();
  });

  const params = new URLSearchParams(window.location.search);
  for (const [name, choice] of Object.entries(choices)) {
    if (!choice) continue;
    const value = params.get(name);
    if (value) {
      // A tag from the address: its option is there before the index has listed the tags.
      if (![...choice.options].some((option) => option.value === value)) choice.append(new Option(value, value));
      choice.value = value;
    }
    choice.addEventListener("change", () => {
      window.clearTimeout(timer);
      run();
    });
  }
  const initial = params.get("q");
  if (initial) {
    input.value = initial;
    run();
  }
}

// Only pages that hold each word of the query, or a word with the same stem.
//
// Pagefind's ranked search stems each word and then takes every indexed stem that *starts*
// with it (search as you type: "ricerca" -> "ricerc" also takes "ricercator"); when no stem
// starts with it, it takes the longest indexed stem that the word starts with, however
// short (its issue #599): "ambizioso" -> "ambiz", not indexed on a page that lacks the word,
// falls back to "a", and the pages with "a" came back, highlighting "a"; "emergenza" gave
// the pages with "e"/"è".  Its exact search (a quoted word) looks the stem up as it is,
// with neither extension nor fallback: so each word is also searched quoted, and a ranked
// result is kept only if every word's exact search has it.  The ranked search keeps its
// order; a quoted query is Pagefind's phrase search already and is left as it is.
const QUOTED = /^\s*".+"\s*$/;
const WORD = /[\p{L}\p{N}]/u;

//
// Sorting by date: the dated results (news items) come first, newest first, and the others
// follow in the order of relevance.  Pagefind sorts within one index: a merged sorted search
// gives each result its rank in its own shard, which Pagefind then compares across shards.
// The news shards are years or quarters (never a year and its quarters both), whose names
// sort as their dates do: newest first, each shard that has results is searched sorted on
// its own (its "shard" filter) and the lists are put one after the other.
async function matching({ module: pagefind, shards }, query, { filters, byDate }) {
  const ranked = await pagefind.search(query, { filters });
  if (ranked === null) return null;
  let results = ranked.results;
  if (byDate) {
    const counts = (ranked.filters && ranked.filters.shard) || null;
    const having = shards.filter((name) => !counts || counts[name]);
    const sorted = (only) => pagefind.search(query, { filters: { ...filters, ...only }, sort: { date: "desc" } });
    // (No news shard: one index, which sorts on its own.)
    const dated = await Promise.all(shards.length ? having.map((name) => sorted({ shard: name })) : [sorted({})]);
    if (dated.includes(null)) return null;
    const newest = dated.flatMap((search) => search.results);
    const first = new Set(newest.map((result) => result.id));
    results = [...newest, ...results.filter((result) => !first.has(result.id))];
  }
  if (QUOTED.test(query)) return results;
  const words = query.split(/\s+/).filter((word) => WORD.test(word));
  const exact = await Promise.all(words.map((word) => pagefind.search(`"${word.replaceAll('"', "")}"`, { filters })));
  if (exact.includes(null)) return null;
  const sets = exact.map((search) => new Set(search.results.map((result) => result.id)));
  return results.filter((result) => sets.every((ids) => ids.has(result.id)));
}

// The filters and the order chosen in the form.
function chosen(choices) {
  const filters = {};
  if (choices.kind && choices.kind.value) filters.kind = choices.kind.value;
  if (choices.tag && choices.tag.value) filters.tag = choices.tag.value;
  return { filters, byDate: Boolean(choices.sort && choices.sort.value === "date") };
}

// The tags of this language's pages, from the index, as options of the tag filter.
async function offerTags(pagefind, select) {
  if (!select) return;
  const tags = Object.keys((await pagefind.filters()).tag || {});
  const have = new Set([...select.options].map((option) => option.value));
  for (const tag of tags.sort((a, b) => a.localeCompare(b, document.documentElement.lang))) {
    if (!have.has(tag)) select.append(new Option(tag, tag));
  }
}

// The index reads the site's ’ as ' so that Pagefind splits "dell’UPMC" into its words
// (sitegen/search_text.py): show ’ again between two letters, as the pages write it.
// In an excerpt a <mark> may sit between the apostrophe and a letter ("dell'<mark>UPMC").
function typographic(text) {
  return text.replace(/(?<=\p{L}(?:<\/?mark>)?)'(?=(?:<\/?mark>)?\p{L})/gu, "\u2019");
}

function item(result) {
  const li = document.createElement("li");
  li.className = "news-card search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = result.url;
  link.textContent = typographic(result.meta.title || result.url);
  heading.append(link);
  li.append(heading);
  if (result.meta.date && result.meta.date_label) {
    const meta = document.createElement("p");
    meta.className = "meta";
    const time = document.createElement("time");
    time.dateTime = result.meta.date;
    time.textContent = result.meta.date_label;
    meta.append(time);
    li.append(meta);
  }
  const excerpt = document.createElement("p");
  excerpt.append(...highlighted(result.excerpt));
  li.append(excerpt);
  return li;
}

// Pagefind's excerpt is HTML with <mark> around the matches: keep only text and <mark>.
function highlighted(html) {
  const parsed = new DOMParser().parseFromString(typographic(html), "text/html");
  const nodes = [];
  for (const node of parsed.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(node.textContent));
    }
  }
  return nodes;
}

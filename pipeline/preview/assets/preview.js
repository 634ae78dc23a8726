// The preview's pages update themselves: each server-sent event says the board
// changed; the page fetches its state and replaces only what changed (a page image
// or an EPUB document whose content hash differs), keeping each column's scroll.
"use strict";
(() => {
  const name = document.body.dataset.name || null;
  const base = name ? `/a/${encodeURIComponent(name)}/` : "/";
  let busy = false, again = false;

  function setConnection(up) {
    const el = document.getElementById("connection");
    if (el) { el.textContent = up ? "live" : "reconnecting…"; el.classList.toggle("down", !up); }
  }

  function showStatus(box, s) {
    const url = `/a/${encodeURIComponent(s.name)}/`;
    const status = box.querySelector(".status");
    const at = s.finished ? new Date(s.finished * 1000).toLocaleTimeString() : "";
    status.textContent = s.building ? "building…" : !at ? "" : s.error ? `failed at ${at}` : `updated ${at}`;
    status.title = s.seconds !== null ? `the last build took ${s.seconds.toFixed(2)} s` : "";
    box.classList.toggle("failed", !!s.error);
    box.querySelector(".summary").textContent = s.error ? "" : (s.summary || "");
    const error = box.querySelector(".error");
    error.textContent = s.error ? `error: ${s.error}` : "";
    error.hidden = !s.error;
    const warnings = box.querySelector(".warnings");
    warnings.replaceChildren(...(s.error ? [] : s.warnings).map(w => {
      const li = document.createElement("li"); li.textContent = `warning: ${w}`; return li;
    }));
    for (const [cls, href, on] of [["pdf", `${url}${encodeURIComponent(s.name)}.pdf?v=${s.pdf}`, s.pdf],
                                   ["epub", `${url}${encodeURIComponent(s.name)}.epub?v=${s.epub}`, s.epub],
                                   ["proof", `${url}proof?v=${s.version}`, s.proof]]) {
      const a = box.querySelector(`a.${cls}`);
      a.hidden = !on;
      if (on) a.href = href; else a.removeAttribute("href");
    }
  }

  // Print pages: one <img> per page, its source changed only when its hash did.
  function showPages(s) {
    const box = document.getElementById("pages");
    const pages = s.error ? [] : s.pages;
    pages.forEach((page, i) => {
      let figure = box.children[i];
      if (!figure) {
        figure = document.createElement("figure");
        figure.innerHTML = "<img alt=''><figcaption></figcaption>";
        box.append(figure);
      }
      const img = figure.querySelector("img");
      if (img.dataset.tag !== page.tag) {
        [img.width, img.height] = page.size;
        img.src = `${base}page-${i + 1}.png?v=${page.tag}`;
        img.dataset.tag = page.tag;
        img.alt = `page ${i + 1}`;
      }
      figure.querySelector("figcaption").textContent = `${i + 1}`;
    });
    while (box.children.length > pages.length) box.lastElementChild.remove();
  }

  // The reading view: the EPUB's documents in spine order, each in a frame as tall
  // as its content; a frame is reloaded only when its document changed.
  // The reader's place: the frame at the top of the column and how far into it,
  // held while the frames that changed reload and change height.
  // Inside the frame, the place is a block (the n-th heading, paragraph or item) and
  // how far into it: a shorter title above it in the same document does not move it.
  let keep = null, loading = 0;
  const column = () => document.querySelector(".reading");
  const BLOCKS = "h1, h2, h3, h4, p, li, figure, table, blockquote, pre";
  const blocks = frame => frame.contentDocument && frame.contentDocument.body
    ? [...frame.contentDocument.body.querySelectorAll(BLOCKS)] : [];
  function place(frame, top) {
    const inside = top - frame.offsetTop;
    const list = blocks(frame);
    const index = list.findIndex(el => el.getBoundingClientRect().bottom > inside);
    return index < 0 ? { frame, index, delta: inside }
                     : { frame, index, delta: inside - list[index].getBoundingClientRect().top };
  }
  function restore() {
    if (!keep || !keep.frame.isConnected) return;
    const el = keep.index >= 0 ? blocks(keep.frame)[keep.index] : null;
    column().scrollTop = keep.frame.offsetTop + (el ? el.getBoundingClientRect().top : 0) + keep.delta;
  }

  function showSpine(s) {
    const box = document.getElementById("spine");
    const docs = s.error ? [] : s.spine;
    if (!docs.length) loading = 0;
    const top = column().scrollTop;
    const anchor = [...box.children].find(f => f.offsetTop + f.offsetHeight > top);
    keep = anchor && top > 0 ? place(anchor, top) : null;
    docs.forEach((doc, i) => {
      let frame = box.children[i];
      if (!frame) {
        frame = document.createElement("iframe");
        frame.addEventListener("load", () => {
          fit(frame);
          restore();
          if (--loading <= 0) { loading = 0; keep = null; }
        });
        box.append(frame);
      }
      if (frame.dataset.tag !== doc.tag || frame.dataset.href !== doc.href) {
        frame.dataset.tag = doc.tag;
        frame.dataset.href = doc.href;
        frame.title = doc.href;
        loading++;
        frame.src = `${base}epub/${doc.href.split("/").map(encodeURIComponent).join("/")}?v=${doc.tag}`;
      }
    });
    while (box.children.length > docs.length) box.lastElementChild.remove();
    restore();
    if (!loading) keep = null;
  }

  function fit(frame) {
    const doc = frame.contentDocument;
    if (!doc || !doc.documentElement) return;
    frame.style.height = `${Math.ceil(doc.documentElement.getBoundingClientRect().height) + 2}px`;
    // A link to another document of the book scrolls the column to it.
    doc.addEventListener("click", event => {
      const link = event.target.closest && event.target.closest("a[href]");
      if (!link) return;
      const url = new URL(link.href);
      const to = [...document.querySelectorAll("#spine iframe")].find(
        f => new URL(f.src).pathname === url.pathname);
      if (!to) return;
      event.preventDefault();
      const el = url.hash ? to.contentDocument.getElementById(decodeURIComponent(url.hash.slice(1))) : null;
      column().scrollTop = to.offsetTop + (el ? el.getBoundingClientRect().top : 0);
    });
  }

  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const response = await fetch(`${base}state.json`, { cache: "no-store" });
      const state = await response.json();
      if (name) {
        showStatus(document.querySelector("header.target"), state);
        showPages(state);
        showSpine(state);
        document.body.dataset.version = state.version;
      } else {
        for (const s of state.targets) {
          const box = document.querySelector(`li.target[data-name="${CSS.escape(s.name)}"]`);
          if (box) showStatus(box, s);
        }
      }
    } catch (err) {
      setConnection(false);
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }

  const events = new EventSource("/events");
  events.onopen = () => setConnection(true);
  events.onerror = () => setConnection(false);
  events.onmessage = refresh;
})();

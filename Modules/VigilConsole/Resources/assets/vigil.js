// Vigil console: small, hand-written, optional. Every page works without it; it adds keyboard
// shortcuts, ticking countdowns, one submission per form; live.js adds live updates.
"use strict";
(function () {
  const shortcutsOn = () => document.body.dataset.shortcuts !== "off";
  const typing = (el) => el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

  // One submission per form: a second click while the first is on its way does nothing (the
  // server also answers a repeated form once, by its key).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
    for (const button of form.querySelectorAll("button[type=submit]")) button.disabled = true;
  });

  // Rows of a list: j/k move focus between their links, Enter opens (the link itself).
  function rows() { return Array.from(document.querySelectorAll("[data-row] a[data-row-link]")); }
  function move(step) {
    const links = rows();
    if (!links.length) return;
    const index = links.indexOf(document.activeElement);
    const next = links[Math.max(0, Math.min(links.length - 1, index < 0 ? 0 : index + step))];
    next.focus();
    next.closest("[data-row]").scrollIntoView({ block: "nearest" });
  }

  function focusAction(name) {
    const target = document.querySelector(`[data-shortcut-target="${name}"]`);
    if (!target) return false;
    target.scrollIntoView({ block: "center" });
    target.focus();
    return true;
  }

  const help = () => document.getElementById("shortcut-help");
  function toggleHelp(show) {
    const dialog = help();
    if (!dialog) return;
    dialog.hidden = !show;
    if (show) dialog.querySelector("button").focus();
  }

  document.addEventListener("click", (event) => {
    if (event.target.matches("[data-close-dialog]")) toggleHelp(false);
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { toggleHelp(false); return; }
    if (!shortcutsOn() || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": if (!focusAction("assign")) return; break;
      case "e": if (!focusAction("escalate")) return; break;
      case "n": if (!focusAction("note")) return; break;
      case "/": if (!focusAction("search")) return; break;
      case "?": toggleHelp(help() && help().hidden); break;
      default: return;
    }
    event.preventDefault();
  });

  // Countdowns: <time data-deadline="ISO"> shows the time left (or overdue), every second,
  // from the browser's clock; the server's figures are the truth on every reload.
  function format(ms) {
    const sign = ms < 0 ? "-" : "";
    let s = Math.floor(Math.abs(ms) / 1000);
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    return sign + (h ? h + "h " : "") + String(m).padStart(h ? 2 : 1, "0") + "m " + String(s).padStart(2, "0") + "s";
  }
  function tick() {
    const now = Date.now();
    for (const el of document.querySelectorAll("time[data-deadline]")) {
      const left = Date.parse(el.dataset.deadline) - now;
      if (Number.isNaN(left)) continue;
      el.textContent = format(left);
      el.classList.toggle("overdue", left < 0);
    }
  }
  // Always ticking on a live page: a refresh may bring the first countdown.
  if (document.querySelector("time[data-deadline]") || document.body.dataset.live) { tick(); setInterval(tick, 1000); }
})();

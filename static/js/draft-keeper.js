// Keeps what someone types in a long form in this browser until the server has it.
//
// A session ends after 30 idle minutes, and the sign-in page then swallows the POST
// that would have saved the form. So, on a form with data-draft-key="…":
//   - every field's value is copied to localStorage as the user types (debounced) and
//     again as the form is submitted;
//   - on load, a stored copy newer than the page's data-draft-saved-at (the time the
//     server last saved the record, epoch ms) is put back in the form, with a note;
//     an older copy is dropped: the server has everything in it;
//   - any element with data-draft-clear="key" (a page after a save the server
//     confirmed) drops that copy.
// Times are kept in the server's clock (data-draft-server-now gives the offset), so a
// wrong clock on the computer cannot make a copy look older or newer than it is.
// Copies hold case notes, so they are kept no longer than needed: dropped on a
// confirmed save, on signing out, and after a week in any case.
// An external module: the CSP allows no inline script.

const PREFIX = "draft-keeper:";
const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;
const DEBOUNCE_MS = 400;
const SKIPPED_TYPES = new Set(["hidden", "password", "file", "submit", "button", "reset", "image"]);
const NOTICE = "Restored what you typed before your session ended";

function storage() {
  try {
    const store = window.localStorage;
    const probe = `${PREFIX}probe`;
    store.setItem(probe, "1");
    store.removeItem(probe);
    return store;
  } catch {
    return null; // private browsing or storage switched off: nothing to keep
  }
}

function read(store, key) {
  try {
    return JSON.parse(store.getItem(PREFIX + key) || "null");
  } catch {
    return null;
  }
}

function fieldsOf(form) {
  return Array.from(form.elements).filter(
    (el) =>
      el.name &&
      !el.disabled &&
      el.name !== "csrfmiddlewaretoken" &&
      !SKIPPED_TYPES.has(el.type) &&
      el.tagName !== "BUTTON" &&
      el.tagName !== "FIELDSET",
  );
}

function valuesOf(form) {
  const values = {};
  for (const el of fieldsOf(form)) {
    if (el.type === "radio") {
      if (!(el.name in values)) values[el.name] = null;
      if (el.checked) values[el.name] = el.value;
    } else if (el.type === "checkbox") {
      values[el.name] = values[el.name] || [];
      if (el.checked) values[el.name].push(el.value);
    } else if (el.tagName === "SELECT" && el.multiple) {
      values[el.name] = Array.from(el.selectedOptions, (option) => option.value);
    } else {
      // Several inputs can share a name (none here, but keep them all).
      if (el.name in values) {
        values[el.name] = [].concat(values[el.name], el.value);
      } else {
        values[el.name] = el.value;
      }
    }
  }
  return values;
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function apply(form, values) {
  const seen = {};
  for (const el of fieldsOf(form)) {
    if (!(el.name in values)) continue;
    const value = values[el.name];
    if (el.type === "radio") {
      el.checked = value !== null && el.value === value;
    } else if (el.type === "checkbox") {
      el.checked = Array.isArray(value) && value.includes(el.value);
    } else if (el.tagName === "SELECT" && el.multiple) {
      for (const option of el.options) option.selected = (value || []).includes(option.value);
    } else if (Array.isArray(value)) {
      const index = seen[el.name] || 0;
      seen[el.name] = index + 1;
      el.value = value[index] ?? "";
    } else {
      el.value = value ?? "";
    }
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }
}

function showNotice(form) {
  const notice = document.createElement("div");
  notice.className = "govuk-inset-text";
  notice.setAttribute("role", "status");
  notice.dataset.testid = "draft-restored";
  notice.textContent = `${NOTICE}. Save it as a draft to keep it.`;
  form.parentNode.insertBefore(notice, form);
}

function dropStale(store, now) {
  for (let i = store.length - 1; i >= 0; i -= 1) {
    const name = store.key(i);
    if (!name || !name.startsWith(PREFIX)) continue;
    const copy = read(store, name.slice(PREFIX.length));
    if (!copy || typeof copy.savedAt !== "number" || now - copy.savedAt > MAX_AGE_MS) {
      store.removeItem(name);
    }
  }
}

function dropAll(store) {
  for (let i = store.length - 1; i >= 0; i -= 1) {
    const name = store.key(i);
    if (name && name.startsWith(PREFIX)) store.removeItem(name);
  }
}

function keep(form, store, serverNow) {
  const key = form.dataset.draftKey;
  const savedAt = Number(form.dataset.draftSavedAt) || 0;
  const stored = read(store, key);
  if (stored && stored.savedAt > savedAt && !same(stored.values, valuesOf(form))) {
    apply(form, stored.values);
    showNotice(form);
  } else if (stored) {
    store.removeItem(PREFIX + key);
  }

  let timer = null;
  const save = () => {
    window.clearTimeout(timer);
    timer = null;
    try {
      store.setItem(PREFIX + key, JSON.stringify({ savedAt: serverNow(), values: valuesOf(form) }));
    } catch {
      // Storage full: the server copy is all there is.
    }
  };
  const later = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, DEBOUNCE_MS);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("submit", save);
  window.addEventListener("pagehide", () => {
    if (timer !== null) save();
  });
}

function start() {
  const store = storage();
  if (!store) return;
  const forms = Array.from(document.querySelectorAll("form[data-draft-key]"));
  const reference = forms.find((form) => form.dataset.draftServerNow);
  const offset = reference ? Number(reference.dataset.draftServerNow) - Date.now() : 0;
  const serverNow = () => Date.now() + (Number.isFinite(offset) ? offset : 0);

  dropStale(store, serverNow());
  for (const el of document.querySelectorAll("[data-draft-clear]")) {
    if (el.dataset.draftClear) store.removeItem(PREFIX + el.dataset.draftClear);
  }
  for (const form of forms) keep(form, store, serverNow);

  // Signing out on a shared computer leaves no case notes behind.
  for (const signOut of document.querySelectorAll("form[action$='/logout/']")) {
    signOut.addEventListener("submit", () => dropAll(store));
  }
}

start();

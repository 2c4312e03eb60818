// The page: send the pasted text or the chosen file to /v1/view and show the result.
// Everything from the server is inserted as text, except displaCy's markup (it escapes the article).
"use strict";

const LABELS = { PER: "Người", ORG: "Tổ chức", LOC: "Địa danh", MISC: "Khác" };
const COLORS = { PER: "#ffd59e", ORG: "#b9dcff", LOC: "#c7f0c1", MISC: "#e6d4f7" };
const KINDS = {
  ministry: "Bộ, ngành", ministry_agency: "Cơ quan thuộc Bộ", government_body: "Cơ quan Chính phủ",
  peoples_committee: "UBND", party_mass_org: "Đảng, đoàn thể", enterprise: "Doanh nghiệp",
  province: "Tỉnh, thành phố", district: "Quận, huyện", commune: "Xã, phường", country: "Quốc gia",
  other: "Khác",
};
const FIGURE_KINDS = {
  money: "Tiền", percent: "Tỷ lệ", count: "Số lượng", measure: "Đo lường", ratio: "Lần",
  rank: "Thứ hạng", number: "Số",
};
const CHANGES = { increase: "Tăng", decrease: "Giảm" };

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function row(cells, numeric = []) {
  const tr = el("tr");
  cells.forEach((c, i) => tr.appendChild(el("td", c ?? "", numeric.includes(i) ? "num" : undefined)));
  return tr;
}

const pct = (p) => (100 * p).toLocaleString("vi-VN", { maximumFractionDigits: 1 }) + "%";
const num = (v) => (typeof v === "number" ? v.toLocaleString("vi-VN") : v ?? "");

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = false;
}

async function submit(event) {
  event.preventDefault();
  const form = new FormData();
  const file = $("file").files[0];
  const text = $("text").value;
  if (!file && !text.trim()) {
    showError("Hãy dán nội dung bài viết hoặc chọn một tệp .txt/.html.");
    return;
  }
  if (file) form.append("file", file); else form.append("text", text);
  if ($("title").value.trim()) form.append("title", $("title").value.trim());
  $("error").hidden = true;
  $("submit").disabled = true;
  $("status").textContent = "Đang phân tích…";
  try {
    const resp = await fetch("/v1/view", { method: "POST", body: form });
    let data = null;
    try { data = await resp.json(); } catch (_) { /* not JSON: reported below */ }
    if (!resp.ok) {
      showError(`Lỗi ${resp.status}: ${data && data.message ? data.message : resp.statusText}`);
      $("status").textContent = "";
      return;
    }
    render(data);
    $("status").textContent = "Xong.";
  } catch (err) {
    showError("Không kết nối được tới máy chủ: " + err);
    $("status").textContent = "";
  } finally {
    $("submit").disabled = false;
  }
}

let current = null;  // the record on show: the editor's choice is stored against its text

async function sendChoice(code) {
  if (!current) return;
  const body = { id: current.id, text: current.text, chosen: code,
                 suggested: current.suggestions.map((s) => s.code) };
  $("choice-status").textContent = "Đang lưu…";
  try {
    const resp = await fetch("/v1/feedback", { method: "POST", headers: { "Content-Type": "application/json" },
                                               body: JSON.stringify(body) });
    const data = await resp.json();
    if (!resp.ok) {
      $("choice-status").textContent = `Lỗi ${resp.status}: ${data.message || resp.statusText}`;
      return;
    }
    $("choice-status").textContent = (data.accepted ? "Đã xác nhận gợi ý: " : "Đã lưu lựa chọn: ") + code;
  } catch (err) {
    $("choice-status").textContent = "Không lưu được: " + err;
  }
}

async function loadMenus() {
  const select = $("menu-select");
  if (select.options.length > 1) return;
  try {
    const resp = await fetch("/v1/menus");
    if (!resp.ok) return;
    for (const m of await resp.json()) {
      const opt = el("option", `${m.label} (${m.code})`);
      opt.value = m.code;
      select.appendChild(opt);
    }
  } catch (_) { /* the list stays empty; suggestions can still be accepted */ }
}

function render(view) {
  const rec = view.record;
  current = rec;
  $("choice-status").textContent = "";
  loadMenus();
  $("doc-title").textContent = rec.title || "(không có tiêu đề)";
  $("doc-byline").textContent = rec.byline || "";
  $("doc-body").innerHTML = view.entities_html;
  const legend = $("legend");
  legend.replaceChildren();
  for (const [code, name] of Object.entries(LABELS)) {
    const n = rec.entities.filter((e) => e.label === code).length;
    const chip = el("span", `${name}: ${n}`);
    chip.style.background = COLORS[code];
    legend.appendChild(chip);
  }
  renderSuggestions(rec.suggestions, rec.enough_evidence !== false);
  renderEntities(rec.entities);
  renderFigures(rec.figures, rec.dates);
  $("result").hidden = false;
}

function renderSuggestions(items, enough) {
  const list = $("suggestions");
  list.replaceChildren();
  const note = $("evidence-note");
  note.hidden = enough;
  for (const s of items) {
    const li = el("li");
    li.className = "suggestion";
    const head = el("div", null, "sugg-head");
    const name = s.parent_label ? `${s.parent_label} › ${s.label}` : s.label;
    head.append(el("span", name), el("span", pct(s.probability), "prob"));
    const bar = el("div", null, "bar");
    const fill = el("div");
    fill.style.width = Math.max(1, Math.round(100 * s.probability)) + "%";
    bar.appendChild(fill);
    const reasons = el("div", null, "chips");
    if (s.reasons.length) reasons.appendChild(el("small", "Lý do: ", "muted"));
    for (const [phrase, weight] of s.reasons) {
      const chip = el("span", phrase);
      chip.title = "trọng số " + Number(weight).toFixed(3);
      reasons.appendChild(chip);
    }
    const accept = el("button", "Chọn", "accept");
    accept.type = "button";
    accept.dataset.code = s.code;
    accept.addEventListener("click", () => sendChoice(s.code));
    li.append(head, bar, reasons, accept);
    list.appendChild(li);
  }
  if (!items.length) list.appendChild(el("li", "Không có gợi ý."));
}

function renderEntities(entities) {
  // One row per distinct entity: linked ones by id, others by label and text.
  const rows = new Map();
  for (const e of entities) {
    if (e.label === "MISC") continue;
    const key = `${e.label}|${e.entity_id || e.canonical || e.text}`;
    const r = rows.get(key);
    if (r) {
      r.count += 1; r.title = r.title || e.title;
      if (!(r.positions || []).length) r.positions = e.positions;
      continue;
    }
    rows.set(key, { ...e, count: 1 });
  }
  const order = { PER: 0, ORG: 1, LOC: 2 };
  const sorted = [...rows.values()].sort((a, b) => order[a.label] - order[b.label] || b.count - a.count);
  const body = $("entities-table").tBodies[0];
  body.replaceChildren();
  for (const e of sorted) {
    const detail = e.label === "PER" ? e.title : KINDS[e.kind] || e.kind;
    const tr = row([LABELS[e.label], e.text, detail, e.canonical, e.count], [4]);
    if (e.entity_id && e.label !== "PER") tr.id = "ent-" + e.entity_id;
    if (e.label === "PER" && (e.positions || []).length) {
      // the officials' positions: role, then the body, linked to its row when it has one
      const cell = tr.cells[2];
      cell.replaceChildren();
      e.positions.forEach((p, i) => {
        const line = el("div", null, "position");
        line.appendChild(el("span", [...(p.qualifiers || []), p.role].join(" "), "role"));
        if (p.organisation) {
          line.appendChild(document.createTextNode(" — "));
          const org = el(p.organisation_id ? "a" : "span", p.organisation, "org");
          if (p.organisation_id) org.href = "#ent-" + p.organisation_id;
          line.appendChild(org);
        }
        cell.appendChild(line);
      });
    }
    body.appendChild(tr);
  }
  if (!sorted.length) body.appendChild(row(["Không tìm thấy nhân vật, cơ quan hay địa danh."]));
}

function renderFigures(figures, dates) {
  const body = $("figures-table").tBodies[0];
  body.replaceChildren();
  for (const f of figures) {
    const value = f.range ? `${num(f.range[0])} – ${num(f.range[1])}` : num(f.value);
    const shown = (f.approx ? f.approx + " " : "") + value;
    const subject = typeof f.subject === "string" ? f.subject : f.subject ? JSON.stringify(f.subject) : "";
    body.appendChild(row([f.text, shown, f.unit, FIGURE_KINDS[f.kind] || f.kind, CHANGES[f.change] || "", subject], [1]));
  }
  if (!figures.length) body.appendChild(row(["Không có số liệu."]));
  const box = $("dates");
  box.replaceChildren();
  for (const d of dates) {
    const chip = el("span", `${d.text} → ${d.value}`);
    box.appendChild(chip);
  }
  if (!dates.length) box.textContent = "Không có.";
}

$("article-form").addEventListener("submit", submit);
$("choose-other").addEventListener("click", () => {
  const code = $("menu-select").value;
  if (code) sendChoice(code); else $("choice-status").textContent = "Hãy chọn một chuyên mục.";
});

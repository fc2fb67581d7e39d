// Reordering a route's items: drag a row by its handle (SortableJS), or use its "Move up" and
// "Move down" buttons from the keyboard. Either way the rows' hidden position fields are
// renumbered to follow the order on screen, so saving keeps it. Without JavaScript the
// position numbers stay visible and editable.
(function () {
  const rowSelectors = { tabular: "tr.form-row", stacked: "div.inline-related" };
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("aria-live", "polite");
  document.body.appendChild(status);

  function positionInput(row) {
    return row.querySelector('input[name$="-position"]');
  }

  function rowSelectorOf(element) {
    const group = element.closest(".js-inline-admin-formset");
    return rowSelectors[group.dataset.inlineType];
  }

  function rowsOf(container, rowSelector) {
    return Array.from(container.children).filter(
      (child) => child.matches(rowSelector) && !child.matches(".empty-form"),
    );
  }

  // A row added but left blank is not a new item: it keeps position 0, so that Django
  // ignores it on saving as it would without this script.
  function blank(row) {
    const partKey = row.querySelector('input[name$="-part_key"]');
    const fields = row.querySelectorAll(
      'textarea, select, input[type="text"], input[type="url"], input[type="date"]',
    );
    return (!partKey || !partKey.value) && Array.from(fields).every((field) => !field.value);
  }

  // Keep the positions the rows already have when they can simply be handed out again in the
  // new order, so that moving one item changes as few items as possible.
  function renumber(container, rowSelector) {
    const rows = rowsOf(container, rowSelector).filter((row) => !blank(row));
    const positions = rows.map((row) => Number(positionInput(row).value) || 0);
    const sorted = [...positions].sort((a, b) => a - b);
    const distinct = sorted.every((value, i) => value > 0 && (i === 0 || value > sorted[i - 1]));
    rows.forEach((row, i) => {
      positionInput(row).value = String(distinct ? sorted[i] : (i + 1) * 10);
    });
    rowsOf(container, rowSelector).forEach((row, i) => {
      const label = row.querySelector(".inline_label");
      if (label) label.textContent = `#${i + 1}`;
    });
  }

  function controls() {
    const box = document.createElement("span");
    box.className = "order-controls";
    box.innerHTML =
      '<span class="drag-handle" title="Drag to move" aria-hidden="true">⠿</span>' +
      '<button type="button" class="move" data-step="-1" aria-label="Move up">↑</button>' +
      '<button type="button" class="move" data-step="1" aria-label="Move down">↓</button>';
    return box;
  }

  function move(button) {
    const rowSelector = rowSelectorOf(button);
    const row = button.closest(rowSelector);
    const container = row.parentElement;
    const rows = rowsOf(container, rowSelector);
    const from = rows.indexOf(row);
    const to = from + Number(button.dataset.step);
    if (to < 0 || to >= rows.length) {
      status.textContent = to < 0 ? "Already first." : "Already last.";
      return;
    }
    if (to < from) rows[to].before(row);
    else rows[to].after(row);
    renumber(container, rowSelector);
    button.focus();
    status.textContent = `Moved to ${to + 1} of ${rows.length}.`;
  }

  document.querySelectorAll(".js-inline-admin-formset").forEach((group) => {
    const inputs = group.querySelectorAll('input[name$="-position"]');
    const rowSelector = rowSelectors[group.dataset.inlineType];
    if (!inputs.length || !rowSelector) return;
    group.classList.add("js-ordered");
    inputs.forEach((input) => input.after(controls()));
    const container = inputs[0].closest(rowSelector).parentElement;
    Sortable.create(container, {
      handle: ".drag-handle",
      draggable: rowSelector,
      filter: ".empty-form",
      animation: matchMedia("(prefers-reduced-motion: reduce)").matches ? 0 : 150,
      onEnd: () => renumber(container, rowSelector),
    });
    group.addEventListener("click", (event) => {
      const button = event.target.closest("button.move");
      if (button) move(button);
    });
  });
})();

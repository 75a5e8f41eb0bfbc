// Turns a <select multiple data-multiselect> into a filter box and a list of checkboxes: searchable,
// usable by keyboard (Tab, Space) and on a phone (tap). The <select> stays in the form, hidden, and
// carries the choice, so the page works the same without this script (a plain multi-select list).
(function () {
  "use strict";

  function enhance(select) {
    var id = select.id;
    var label = document.querySelector('label[for="' + id + '"]');
    var box = document.createElement("div");
    box.className = "multiselect";

    var filter = document.createElement("input");
    filter.type = "search";
    filter.id = id + "_filter";
    filter.className = "multiselect-filter";
    filter.setAttribute("autocomplete", "off");
    filter.setAttribute("placeholder", select.getAttribute("data-filter-placeholder") || "Type to filter");
    filter.setAttribute("aria-controls", id + "_choices");
    if (label) { label.htmlFor = filter.id; }

    var chosen = document.createElement("p");
    chosen.className = "multiselect-chosen";
    chosen.id = id + "_chosen";
    chosen.setAttribute("aria-live", "polite");
    filter.setAttribute("aria-describedby", chosen.id + (select.getAttribute("aria-describedby") ? " " + select.getAttribute("aria-describedby") : ""));

    var list = document.createElement("ul");
    list.className = "multiselect-choices";
    list.id = id + "_choices";
    list.setAttribute("aria-label", select.getAttribute("data-choices-label") || "Options to tick");

    var items = [];
    Array.prototype.forEach.call(select.options, function (option, index) {
      var item = document.createElement("li");
      var check = document.createElement("input");
      check.type = "checkbox";
      check.id = id + "_choice_" + index;
      check.checked = option.selected;
      var text = document.createElement("label");
      text.htmlFor = check.id;
      text.textContent = option.textContent;
      check.addEventListener("change", function () {
        option.selected = check.checked;
        update();
      });
      item.appendChild(check);
      item.appendChild(text);
      list.appendChild(item);
      items.push({ item: item, option: option, name: option.textContent.toLowerCase() });
    });

    function update() {
      var names = items.filter(function (x) { return x.option.selected; }).map(function (x) { return x.option.textContent; });
      chosen.textContent = names.length
        ? (select.getAttribute("data-chosen-label") || "Chosen:") + " " + names.join(", ")
        : select.getAttribute("data-none-label") || "None chosen yet.";
    }

    function applyFilter() {
      var words = filter.value.toLowerCase().trim();
      items.forEach(function (x) {
        // Chosen ones stay visible so they can be unticked whatever the filter.
        x.item.hidden = words !== "" && x.name.indexOf(words) === -1 && !x.option.selected;
      });
    }

    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {  // Enter in the filter picks the first match instead of sending the form
        event.preventDefault();
        var first = items.filter(function (x) { return !x.item.hidden && !x.option.selected; })[0];
        if (first) {
          first.option.selected = true;
          first.item.querySelector("input").checked = true;
          update();
          filter.value = "";
          applyFilter();
        }
      }
    });

    box.appendChild(filter);
    box.appendChild(chosen);
    box.appendChild(list);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.parentNode.insertBefore(box, select.nextSibling);
    update();
    applyFilter();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("select[multiple][data-multiselect]"), enhance);
  }
  if (document.readyState !== "loading") { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();

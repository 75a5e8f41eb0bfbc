// "Comment on this" links in a newsletter issue: choose that item in the feedback form.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-feedback-item]");
  if (!link) return;
  const select = document.getElementById("id_item");
  const body = document.getElementById("id_body");
  if (select) select.value = link.dataset.feedbackItem;
  if (body) {
    event.preventDefault();
    document.getElementById("feedback").scrollIntoView({ behavior: "smooth", block: "start" });
    body.focus({ preventScroll: true });
  }
});
// Arriving from an e-mail's "Comment on this" link (#item-N): preselect that item too.
document.addEventListener("DOMContentLoaded", () => {
  const match = window.location.hash.match(/^#item-(\d+)$/);
  const select = document.getElementById("id_item");
  if (match && select && select.querySelector(`option[value="${match[1]}"]`)) select.value = match[1];
});

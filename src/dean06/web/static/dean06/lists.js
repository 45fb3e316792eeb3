// The filters of the task and unit lists: empty fields are left out of the address HTMX asks
// for (and puts in the browser's history), so that "/nhiem-vu/?status=overdue" stays short and
// can be shared. Without JavaScript the form is a plain GET and works the same.
document.addEventListener("htmx:configRequest", function (event) {
  var form = event.detail.elt;
  if (!form || !form.matches || !form.matches("form.list-filters")) {
    return;
  }
  var params = event.detail.parameters;
  Array.prototype.forEach.call(form.elements, function (field) {
    if (field.name && params[field.name] === "") {
      delete params[field.name];
    }
  });
});

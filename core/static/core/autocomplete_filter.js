'use strict';
// An autocomplete filter applies the record chosen at once, as a click applies the admin's other
// filters. select2 announces the choice with jQuery's trigger, which only jQuery handlers hear.
{
    const $ = django.jQuery;
    $(document).on('change', 'form.autocomplete-filter select', function() {
        if (!this.value) {
            this.disabled = true;  // cleared: the list without this filter, not with it empty
        }
        this.form.submit();
    });
}

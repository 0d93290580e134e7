from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Critical metals: sources and claims"
admin.site.site_title = "Critical metals claims"
admin.site.index_title = "Curation"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("sources.urls")),
    path("", include("claims.urls")),
]

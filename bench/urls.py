"""The product's URLs plus the two bare pages the benchmarks compare against."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/hello/", views.hello, name="bench_hello"),
    path("bench/table/", views.table, name="bench_table"),
    path("bench/loop/", views.loop, name="bench_loop"),
    path("", include("nct_monitor.urls")),
]

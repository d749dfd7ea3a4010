from django.urls import path

app_name = "translations"

urlpatterns: list = []

app_name = "focal"
urlpatterns: list = []

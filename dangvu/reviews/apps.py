from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "dangvu.reviews"
    label = "reviews"
    verbose_name = "Đánh giá, xếp loại chất lượng"

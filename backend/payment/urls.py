from django.urls import path

from backend.payment import views

urlpatterns = [
    path("vietqr/webhook/", views.bank_transfer_webhook, name="payment-vietqr-webhook"),
    path("vnpay/ipn/", views.vnpay_ipn, name="payment-vnpay-ipn"),
    path("vnpay/return/", views.vnpay_return, name="payment-vnpay-return"),
    path("stripe/webhook/", views.stripe_webhook, name="payment-stripe-webhook"),
]

"""Readers' pages and endpoints: read a request, call one service, render (views, the form, feeds,
the context processor). A new reader page goes here."""

"""Bench-only: count the queries of a request when it asks (header X-Bench-Queries: 1).

Outermost, so the count includes everything a request costs: the session read and
save, the user, the page's own queries and the context processors'. The answer is in
the response header ``X-Bench-Queries``; requests without the header are untouched.
"""

from django.db import connections


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get("X-Bench-Queries") != "1":
            return self.get_response(request)
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
            # A streamed or lazily rendered body would query after this point; pages
            # here are rendered by the view, so the count is complete.
        response["X-Bench-Queries"] = str(count)
        return response

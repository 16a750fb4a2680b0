vcl 4.1;
# Varnish as the shared cache in front of nginx (deploy/nginx.conf, which balances between
# the app nodes and serves static and media files), told by the app of every change
# (pagecache/shared.py), so it may keep a page for minutes: the app says how long in
# s-maxage (NEWSROOM_SHARED_CACHE_TOLD_SECONDS once a change is told, never past the next
# scheduled change; one second while a change is untold).
#
# Replace the {{...}} values for your machine (deploy/cluster.py renders this very file).
# Needs vmod_var (Debian's varnish-modules).
#
# Telling: `BAN /` with `X-Content-Version: <version>` (the first part of every page's
# ETag, W/"<version>.<schedule>") from an address in `tellers`. Every page of another
# version is banned, and from then on only pages of that version are kept: a page answered
# by a node still on the old version (each reads it every NEWSROOM_VERSION_CHECK_SECONDS),
# or a page that was being made when the change committed, is passed to the reader but not
# kept, so no copy of a story taken down outlives the tell.

import std;
import var;

backend nginx {
    .host = "{{BACKEND_HOST}}";
    .port = "{{BACKEND_PORT}}";
    .connect_timeout = 5s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 60s;
}

acl tellers {
    "127.0.0.1";
{{TELLERS}}
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ tellers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.X-Content-Version !~ "^[0-9a-f]{1,32}$") {
            return (synth(400, "X-Content-Version is missing"));
        }
        var.global_set("version", req.http.X-Content-Version);
        if (!std.ban("obj.http.X-Content-Version != " + req.http.X-Content-Version)) {
            return (synth(500, std.ban_error()));
        }
        return (synth(200, "Told"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Signed-in staff (a session) and a reader with a message to see always reach the app,
    # as do the admin, previews and media (the gate decides for each request).
    if (req.http.Authorization
        || req.http.Cookie ~ "(^|;\s*)(sessionid|messages)="
        || req.url ~ "^/({{ADMIN_PREFIX}}|preview/|media/|healthz)") {
        return (pass);
    }
    # No page kept here reads any other cookie (one that sets a cookie is not kept).
    unset req.http.Cookie;
    # A link tagged only by where the reader came from is the same page (as deploy/nginx.conf
    # and NEWSROOM_PAGE_CACHE_IGNORED_PARAMETERS).
    if (req.url ~ "(?i)[?&](utm_[a-z0-9_]+|fbclid|gclid|gbraid|wbraid|dclid|msclkid|igshid|zarsrc|mc_cid|mc_eid|_ga)=") {
        set req.url = regsuball(req.url, "(?i)([?&])(utm_[a-z0-9_]+|fbclid|gclid|gbraid|wbraid|dclid|msclkid|igshid|zarsrc|mc_cid|mc_eid|_ga)=[^&]*", "\1");
        set req.url = regsuball(req.url, "([?&])&+", "\1");
        set req.url = regsub(req.url, "[?&]$", "");
    }
    return (hash);
}

sub vcl_backend_response {
    # Never a stale copy, not while fetching a new one and not when the app errs.
    set beresp.grace = 0s;
    set beresp.keep = 0s;
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (bereq.url ~ "^/static/" && beresp.status == 200) {
        return (deliver);  # content-hashed names, kept as nginx says (expires max)
    }
    if (beresp.http.ETag ~ {"^W/"[0-9a-f]+\.[0-9]+"$"}) {
        set beresp.http.X-Content-Version = regsub(beresp.http.ETag, {"^W/"([0-9a-f]+)\..*$"}, "\1");
    }
    # Kept: a page the app marked public (its s-maxage says how long), of the version this
    # cache was last told of (or of any while it was told of none, as after a restart).
    if (beresp.status != 200
        || !beresp.http.X-Content-Version
        || beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)private|no-store|no-cache"
        || beresp.ttl <= 0s
        || (var.global_get("version")
            && beresp.http.X-Content-Version != var.global_get("version"))) {
        # Not kept; requests for it are not held waiting for each other for a second.
        set beresp.uncacheable = true;
        set beresp.ttl = 1s;
        return (deliver);
    }
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.X-Content-Version;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}

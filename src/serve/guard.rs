//! Who may talk to the form: only this machine, only the page dashi opened. The server
//! listens on loopback; every request must carry the run's random token (in the URL
//! dashi opens, then in a cookie); a Host other than the loopback address is refused
//! (DNS rebinding); a write must come from the page's own origin; every response forbids
//! loading anything from elsewhere (Content-Security-Policy).

/// The token cookie's name, with the port: a second `dashi serve` (another studio, on
/// another port) sets its own cookie and never replaces the first one's.
pub fn cookie_name(port: u16) -> String {
    format!("dashi_token_{port}")
}

/// The policy every response carries: nothing from outside, no frames, no plugins.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// What to do with a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Allow,
    /// Allowed by the token in its URL: the answer sets the cookie.
    AllowAndRemember,
    Refuse(&'static str),
}

/// The run's secret and address.
#[derive(Debug, Clone)]
pub struct Guard {
    pub token: String,
    pub port: u16,
    /// The port this file's dashi serve had before, when another program held it.
    pub moved_from: Option<u16>,
}

/// What the guard looks at in a request.
pub struct Asked<'a> {
    pub writes: bool,
    pub host: Option<&'a str>,
    pub origin: Option<&'a str>,
    pub cookie: Option<&'a str>,
    pub query: Option<&'a str>,
}

impl Guard {
    /// A guard with a fresh random token.
    pub fn new(port: u16) -> std::io::Result<Guard> {
        let mut bytes = [0u8; 24];
        getrandom::fill(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(Guard {
            token: bytes.iter().map(|b| format!("{b:02x}")).collect(),
            port,
            moved_from: None,
        })
    }

    /// The address dashi opens.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/?token={}", self.port, self.token)
    }

    fn loopback(&self) -> [String; 2] {
        [
            format!("127.0.0.1:{}", self.port),
            format!("localhost:{}", self.port),
        ]
    }

    pub fn judge(&self, asked: &Asked<'_>) -> Verdict {
        if !asked
            .host
            .is_some_and(|h| self.loopback().iter().any(|l| l.eq_ignore_ascii_case(h)))
        {
            return Verdict::Refuse("请求的主机名不是本机地址（Host）");
        }
        if asked.writes {
            let allowed = self.loopback().map(|l| format!("http://{l}"));
            if !asked
                .origin
                .is_some_and(|o| allowed.iter().any(|a| a.eq_ignore_ascii_case(o)))
            {
                return Verdict::Refuse("修改只接受来自本页面的请求（Origin）");
            }
        }
        let name = cookie_name(self.port);
        let cookie = asked.cookie.and_then(|c| cookie_value(c, &name));
        if cookie.is_some_and(|c| same(c, &self.token)) {
            return Verdict::Allow;
        }
        let in_url = asked
            .query
            .and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("token=")));
        if !asked.writes && in_url.is_some_and(|t| same(t, &self.token)) {
            return Verdict::AllowAndRemember;
        }
        Verdict::Refuse("缺少本次运行的访问令牌：请使用 dashi serve 打开的地址")
    }

    /// After a move, where the page left at the old address finds this run: a cookie
    /// its script can read (a cookie belongs to the host, whatever the port).
    pub fn where_cookie(&self) -> Option<String> {
        self.moved_from.map(|old| {
            format!(
                "dashi_where_{old}={}; Path=/; SameSite=Strict; Max-Age=604800",
                self.port
            )
        })
    }

    /// The cookie that lets the page's later requests in.
    pub fn cookie(&self) -> String {
        format!(
            "{}={}; Path=/; HttpOnly; SameSite=Strict",
            cookie_name(self.port),
            self.token
        )
    }
}

/// A cookie's value in a `Cookie:` header.
fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

/// Compares in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> Guard {
        Guard {
            token: "abc123".into(),
            port: 8123,
            moved_from: None,
        }
    }

    fn asked<'a>(
        writes: bool,
        host: &'a str,
        origin: Option<&'a str>,
        cookie: Option<&'a str>,
        query: Option<&'a str>,
    ) -> Asked<'a> {
        Asked {
            writes,
            host: Some(host),
            origin,
            cookie,
            query,
        }
    }

    #[test]
    fn the_rules() {
        let g = guard();
        let ok_cookie = Some("x=1; dashi_token_8123=abc123");
        assert_eq!(
            g.judge(&asked(false, "127.0.0.1:8123", None, ok_cookie, None)),
            Verdict::Allow
        );
        assert_eq!(
            g.judge(&asked(
                false,
                "127.0.0.1:8123",
                None,
                None,
                Some("token=abc123")
            )),
            Verdict::AllowAndRemember
        );
        assert!(matches!(
            g.judge(&asked(false, "127.0.0.1:8123", None, None, None)),
            Verdict::Refuse(_)
        ));
        assert!(matches!(
            g.judge(&asked(
                false,
                "127.0.0.1:8123",
                None,
                Some("dashi_token_8123=abc124"),
                None
            )),
            Verdict::Refuse(_)
        ));
        assert!(matches!(
            g.judge(&asked(false, "evil.example", None, ok_cookie, None)),
            Verdict::Refuse(_)
        ));
        assert!(matches!(
            g.judge(&asked(false, "127.0.0.1:9999", None, ok_cookie, None)),
            Verdict::Refuse(_)
        ));
        assert_eq!(
            g.judge(&asked(
                true,
                "localhost:8123",
                Some("http://localhost:8123"),
                ok_cookie,
                None
            )),
            Verdict::Allow
        );
        assert!(matches!(
            g.judge(&asked(
                true,
                "127.0.0.1:8123",
                Some("http://evil.example"),
                ok_cookie,
                None
            )),
            Verdict::Refuse(_)
        ));
        assert!(matches!(
            g.judge(&asked(true, "127.0.0.1:8123", None, ok_cookie, None)),
            Verdict::Refuse(_)
        ));
        // A write never gets in by the URL's token alone.
        assert!(matches!(
            g.judge(&asked(
                true,
                "127.0.0.1:8123",
                Some("http://127.0.0.1:8123"),
                None,
                Some("token=abc123")
            )),
            Verdict::Refuse(_)
        ));
        // Another server's cookie (another port) does not let a request in.
        assert!(matches!(
            g.judge(&asked(
                false,
                "127.0.0.1:8123",
                None,
                Some("dashi_token_9000=abc123"),
                None
            )),
            Verdict::Refuse(_)
        ));
        assert_eq!(Guard::new(1).unwrap().token.len(), 48);
    }
}

//! Server-sent events telling open pages to reload, or to show the build's
//! errors. Each page keeps one connection; the stream is written by hand on
//! the raw socket so that every event goes out at once.

use std::io::Write;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::time::Duration;

use serde::Serialize;
use tiny_http::Request;

use crate::diagnostics::{Diagnostic, Diagnostics, display_path};

/// A diagnostic as the error overlay shows it.
#[derive(Serialize, Clone, Debug)]
pub struct ErrorView {
    pub file: String,
    pub line: u32,
    pub col: u32,
    pub message: String,
    pub hint: String,
}

impl From<&Diagnostic> for ErrorView {
    fn from(d: &Diagnostic) -> Self {
        ErrorView {
            file: d.file.as_deref().map(display_path).unwrap_or_default(),
            line: d.line,
            col: d.col,
            message: d.message.clone(),
            hint: d.hint.clone().unwrap_or_default(),
        }
    }
}

#[derive(Default)]
pub struct Events {
    clients: Mutex<Vec<SyncSender<String>>>,
    /// The errors of the current failed build, sent to pages as they connect.
    current: Mutex<Option<String>>,
}

impl Events {
    /// All open pages reload.
    pub fn reload(&self) {
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.send("event: reload\ndata: {}\n\n".to_string());
    }

    /// All open pages show these errors until the next good build.
    pub fn errors(&self, d: &Diagnostics) {
        let views: Vec<ErrorView> = d
            .iter()
            .filter(|d| d.is_error())
            .map(ErrorView::from)
            .collect();
        let json = serde_json::to_string(&views).unwrap_or_else(|_| "[]".into());
        let msg = format!("event: errors\ndata: {json}\n\n");
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(msg.clone());
        self.send(msg);
    }

    fn send(&self, msg: String) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|c| match c.try_send(msg.clone()) {
            Ok(()) | Err(TrySendError::Full(_)) => true,
            Err(TrySendError::Disconnected(_)) => false,
        });
    }

    pub fn client_count(&self) -> usize {
        self.clients.lock().map(|c| c.len()).unwrap_or(0)
    }

    /// Keeps the connection open and writes events as they come.
    pub fn stream(&self, req: Request) {
        let (tx, rx): (SyncSender<String>, Receiver<String>) = sync_channel(16);
        if let Some(cur) = self
            .current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
        {
            let _ = tx.try_send(cur);
        }
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tx);
        let mut w = req.into_writer();
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n";
        if w.write_all(head.as_bytes())
            .and_then(|_| w.flush())
            .is_err()
        {
            return;
        }
        loop {
            let msg = match rx.recv_timeout(Duration::from_secs(15)) {
                Ok(m) => m,
                // A comment line keeps proxies from closing the stream and
                // tells us when the page has gone.
                Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if w.write_all(msg.as_bytes()).and_then(|_| w.flush()).is_err() {
                return;
            }
        }
    }
}

//! How the gateway process holds memory: what it gives back once it has started.
//!
//! Building the application touches far more than serving does (migrations, the OpenAPI
//! document, every carrier's set-up), and both the heap and the binary's own code pages
//! keep what start-up touched. Under load at 256 connections that was a third to a half of
//! the resident set (`docs/benchmarks.md`, issue 22), so the process gives both back once,
//! when it is built: what serving needs comes back on first use.
//!
//! Linux with glibc only; elsewhere these do nothing.

/// glibc's malloc gives threads arenas of their own as they contend, up to eight per core,
/// and memory freed in one arena is not reused by the others. With the runtime's, the HTTP
/// workers' and the SQLite connections' threads, that was a quarter of the gateway's
/// resident memory under load (`bench/run`, 256 connections: keyed creates 121 → 98 MB,
/// rates 88 → 75 MB, throughput unchanged or higher). Two arenas keep contention low on
/// the few cores a gateway gets. Call before any thread starts; `MALLOC_ARENA_MAX` in the
/// environment still wins (glibc reads it first).
pub fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets a malloc parameter; called before other threads exist.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

/// Gives back what building the application touched and serving will not.
///
/// - **Heap.** The OpenAPI document alone peaks at about 10 MB while it is assembled and
///   serialised, then only its JSON is kept. glibc keeps freed memory below the heap's top
///   for reuse, so without a trim the gateway sat on about 16 MB it would never touch
///   again (idle anonymous memory 29 → 13 MB).
/// - **Code.** RSS counts every page of the binary mapped into the process, and this
///   kernel maps whole page-cache folios per fault, so start-up left about 33 MB of code
///   and read-only data mapped, most of it never run again. Unmapping the binary's
///   read-only pages (see [`unmappable`]) leaves them in the page cache, shared and clean;
///   serving maps back what it runs, at a minor fault each. Rates at 256 connections:
///   68 → 60 MB RSS (33 → 26 MB of it the binary), throughput unchanged.
///
/// Once, at start: pages freed later under load are reused by the load that freed them.
pub fn release_start_up_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: malloc_trim only returns free pages to the kernel; it is thread-safe.
        unsafe {
            libc::malloc_trim(0);
        }
        match unmap_start_up_code() {
            Ok(bytes) => tracing::debug!(
                mb = bytes >> 20,
                "start-up code pages unmapped (they stay in the page cache)"
            ),
            Err(e) => tracing::debug!(error = %e, "start-up code pages left mapped"),
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn unmap_start_up_code() -> std::io::Result<usize> {
    let exe = std::fs::read_link("/proc/self/exe")?;
    let smaps = std::fs::read_to_string("/proc/self/smaps")?;
    let mut bytes = 0;
    for (start, len) in unmappable(&smaps, &exe.to_string_lossy()) {
        // SAFETY: `unmappable` yields only read-only private mappings of the binary with no
        // page of their own (nothing written since they were mapped), so dropping their
        // page-table entries loses nothing: the next access maps the file's page again.
        if unsafe { libc::madvise(start as *mut libc::c_void, len, libc::MADV_DONTNEED) } == 0 {
            bytes += len;
        }
    }
    Ok(bytes)
}

/// The mappings of `exe` (start, length) in `smaps` (`/proc/self/smaps`) that can be
/// dropped and mapped again from the file: not writable, and without anonymous pages.
/// That leaves out the relocated read-only data (RELRO: written by the loader, then
/// protected, so its pages are the process's own and exist nowhere else) and the
/// writable data.
pub fn unmappable(smaps: &str, exe: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    for line in smaps.lines() {
        let (first, rest) = field(line);
        if let Some((start, end)) = first.split_once('-')
            && let (Ok(start), Ok(end)) = (
                usize::from_str_radix(start, 16),
                usize::from_str_radix(end, 16),
            )
        {
            // A mapping's header: range, permissions, offset, device, inode, then the path
            // (which may hold spaces).
            let (perms, rest) = field(rest);
            let (_offset, rest) = field(rest);
            let (_device, rest) = field(rest);
            let (_inode, path) = field(rest);
            current = (path.trim() == exe && !perms.contains('w') && end > start)
                .then_some((start, end - start));
        } else if first == "Anonymous:"
            && let Some(mapping) = current.take()
            && field(rest).0 == "0"
        {
            out.push(mapping);
        }
    }
    out
}

/// A `kB` field of `/proc/self/status` (`VmRSS`, `RssAnon`, `RssFile`, …); `None` where
/// there is no such file or field. For tests and benchmarks that watch their own memory.
pub fn status_kb(name: &str) -> Option<u64> {
    std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The first whitespace-separated field of `s`, and what follows it.
fn field(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    s.split_at(s.find(char::is_whitespace).unwrap_or(s.len()))
}

#[cfg(test)]
mod tests {
    use super::unmappable;

    const SMAPS: &str = "\
55d0a0000000-55d0a0200000 r--p 00000000 fe:00 42    /srv/shipgate
Size:               2048 kB
Rss:                1024 kB
Anonymous:             0 kB
55d0a0200000-55d0a2000000 r-xp 00200000 fe:00 42    /srv/shipgate
Size:              30720 kB
Anonymous:             0 kB
55d0a2000000-55d0a2100000 r--p 02000000 fe:00 42    /srv/shipgate
Size:               1024 kB
Anonymous:           996 kB
55d0a2100000-55d0a2110000 rw-p 02100000 fe:00 42    /srv/shipgate
Anonymous:            64 kB
7f0000000000-7f0000100000 r-xp 00000000 fe:00 77    /usr/lib/x86_64-linux-gnu/libc.so.6
Anonymous:             0 kB
7f0000200000-7f0000300000 rw-p 00000000 00:00 0
Anonymous:           512 kB
";

    #[test]
    fn only_the_binarys_untouched_read_only_mappings_are_dropped() {
        assert_eq!(
            unmappable(SMAPS, "/srv/shipgate"),
            vec![(0x55d0a0000000, 0x200000), (0x55d0a0200000, 0x1e00000)]
        );
    }

    #[test]
    fn paths_are_compared_whole() {
        let smaps = "\
55d0a0000000-55d0a0200000 r-xp 00000000 fe:00 42    /srv/ship gate (deleted)
Anonymous:             0 kB
";
        assert_eq!(
            unmappable(smaps, "/srv/ship gate (deleted)"),
            vec![(0x55d0a0000000, 0x200000)]
        );
        assert!(unmappable(smaps, "/srv/ship").is_empty());
        assert!(unmappable(SMAPS, "/srv/shipgat").is_empty());
    }

    #[test]
    fn a_mapping_without_its_anonymous_count_is_left_alone() {
        assert!(unmappable("", "/srv/shipgate").is_empty());
        assert!(
            unmappable(
                "55d0a0000000-55d0a0200000 r--p 00000000 fe:00 42 /srv/shipgate\n\
                 55d0a0200000-55d0a0300000 rw-p 00000000 00:00 0\nAnonymous: 0 kB\n",
                "/srv/shipgate"
            )
            .is_empty()
        );
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn this_test_binary_has_code_to_drop_and_keeps_running_after() {
        let exe = std::fs::read_link("/proc/self/exe").unwrap();
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let found = unmappable(&smaps, &exe.to_string_lossy());
        assert!(
            found.iter().map(|(_, len)| len).sum::<usize>() > 1 << 20,
            "{found:?}"
        );
        let before = super::status_kb("RssFile").unwrap();
        let dropped = super::unmap_start_up_code().unwrap();
        // Code, constants and the relocated vtables still work: formatting goes through
        // `dyn Write`.
        let text = format!("{} {}", "still", 42);
        assert_eq!(text, "still 42");
        assert!(dropped > 1 << 20);
        assert!(
            super::status_kb("RssFile").unwrap() < before,
            "the file pages mapped did not go down"
        );
    }
}

//! The answers `/api/search` gave since the last build, kept so that the same question
//! (a reader typing a query others typed, the same page reloaded) is answered without
//! searching again. Bounded in count and bytes, the oldest dropped first; emptied whenever
//! a build may have changed the indexes, and never filled with an answer computed before.

use axum::body::Bytes;
use std::collections::{HashMap, VecDeque};

/// The most answers kept.
const MAX_ANSWERS: usize = 4096;
/// The most bytes kept, questions and answers together: 16 MiB.
const MAX_BYTES: usize = 16 << 20;

/// Answers by question, oldest first in `order`.
#[derive(Default)]
pub(super) struct Answers {
    by_question: HashMap<String, Bytes>,
    order: VecDeque<String>,
    bytes: usize,
    /// Counts the builds: an answer computed under an earlier one is not kept.
    generation: u64,
}

impl Answers {
    /// The question as a key: each part on its own line (a part cannot hold `\n` unseen:
    /// it is escaped), so different questions never share a key.
    pub(super) fn question(lang: &str, kind: Option<&str>, limit: usize, q: &str) -> String {
        let escape = |s: &str| s.replace('\\', "\\\\").replace('\n', "\\n");
        format!("{}\n{}\n{limit}\n{}", escape(lang), kind.map(escape).unwrap_or_else(|| "\\0".into()), escape(q))
    }

    /// The build an answer computed now belongs to.
    pub(super) fn generation(&self) -> u64 {
        self.generation
    }

    pub(super) fn get(&self, question: &str) -> Option<Bytes> {
        self.by_question.get(question).cloned()
    }

    /// Keeps `answer` if it was computed under the current build and fits.
    pub(super) fn insert(&mut self, generation: u64, question: String, answer: Bytes) {
        let size = question.len() + answer.len();
        if generation != self.generation || size > MAX_BYTES || self.by_question.contains_key(&question) {
            return;
        }
        while self.order.len() >= MAX_ANSWERS || self.bytes + size > MAX_BYTES {
            let Some(oldest) = self.order.pop_front() else { break };
            if let Some(old) = self.by_question.remove(&oldest) {
                self.bytes -= oldest.len() + old.len();
            }
        }
        self.bytes += size;
        self.order.push_back(question.clone());
        self.by_question.insert(question, answer);
    }

    /// Forgets every answer: the indexes may have changed.
    pub(super) fn clear(&mut self) {
        self.by_question.clear();
        self.order.clear();
        self.bytes = 0;
        self.generation += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_kept_until_the_next_build_and_within_bounds() {
        let mut answers = Answers::default();
        let q = Answers::question("en", None, 10, "probation");
        let g = answers.generation();
        answers.insert(g, q.clone(), Bytes::from_static(b"{}"));
        assert_eq!(answers.get(&q), Some(Bytes::from_static(b"{}")));
        answers.clear();
        assert_eq!(answers.get(&q), None);
        // Computed before the build: not kept.
        answers.insert(g, q.clone(), Bytes::from_static(b"{}"));
        assert_eq!(answers.get(&q), None);
        // The oldest goes first when full.
        let g = answers.generation();
        for i in 0..MAX_ANSWERS + 10 {
            answers.insert(g, Answers::question("en", None, 10, &i.to_string()), Bytes::from_static(b"{}"));
        }
        assert_eq!(answers.by_question.len(), MAX_ANSWERS);
        assert_eq!(answers.get(&Answers::question("en", None, 10, "0")), None);
        assert!(answers.get(&Answers::question("en", None, 10, &(MAX_ANSWERS + 9).to_string())).is_some());
        let big = Bytes::from(vec![b' '; MAX_BYTES / 3]);
        for i in 0..5 {
            answers.insert(g, Answers::question("fr", None, 10, &i.to_string()), big.clone());
        }
        assert!(answers.bytes <= MAX_BYTES);
        // Questions differing only in where a part ends are different questions.
        assert_ne!(Answers::question("en", Some("a\nb"), 1, "c"), Answers::question("en", Some("a"), 1, "b\nc"));
        assert_ne!(Answers::question("en", None, 1, "c"), Answers::question("en", Some("\\0"), 1, "c"));
    }
}

package worker

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/grafana/sobek"
)

// truncatedMarker ends a console message that was cut to
// Limits.MaxConsoleBytes. omitted counts the characters left out (UTF-16
// code units, as String.length counts them); a negative omitted means
// formatting stopped before it knew how many.
func truncatedMarker(omitted int) string {
	if omitted < 0 {
		return "… [truncated]"
	}
	return "… [truncated " + strconv.Itoa(omitted) + " characters]"
}

// capConsole returns msg cut to at most max bytes (at a character
// boundary) and, when anything was left out, the marker after it. omitted
// counts what was already left out before msg reached Go (-1: unknown).
func capConsole(msg string, max, omitted int) string {
	if len(msg) > max {
		end := max
		for end > 0 && !utf8.RuneStart(msg[end]) {
			end--
		}
		if omitted >= 0 {
			omitted += utf16Len(msg[end:])
		}
		msg = msg[:end]
	}
	if omitted == 0 {
		return msg
	}
	return msg + truncatedMarker(omitted)
}

// utf16Len returns the number of UTF-16 code units s takes.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// consoleJS takes a console message from the bootstrap's formatter: msg is
// the formatted text and omitted the characters the formatter left out
// (-1: unknown). Only the first max characters of msg are converted to a
// Go string, so even a message that bypassed the formatter's budget costs
// no more than the limit.
func (w *Worker) consoleJS(level string, msg, omitted sobek.Value) {
	max := w.limits.MaxConsoleBytes
	cut := int(omitted.ToInteger())
	s, ok := msg.ToString().(sobek.String)
	var text string
	if !ok {
		text = msg.String()
	} else if n := s.Length(); n > max {
		end := max
		if c := s.CharAt(end - 1); c >= 0xd800 && c < 0xdc00 {
			end-- // keep a surrogate pair whole
		}
		text = s.Substring(0, end).String()
		if cut >= 0 {
			cut += n - end
		}
	} else {
		text = s.String()
	}
	w.emitConsole(level, capConsole(text, max, cut))
}

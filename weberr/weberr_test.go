package weberr

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

type ownErr struct{}

func (ownErr) Error() string         { return "TypeError: bad pattern" }
func (ownErr) ExceptionName() string { return "TypeError" }

func TestNameAndMessage(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantName string
		wantMsg  string
	}{
		{"plain", errors.New("boom"), "", "boom"},
		{"direct", New(SecurityError, "cross-origin script"), SecurityError, "cross-origin script"},
		{"wrapped", fmt.Errorf("register: %w", New(TypeError, "bad scope")), TypeError, "bad scope"},
		{"foreign type", fmt.Errorf("x: %w", ownErr{}), TypeError, "bad pattern"},
		{"errorf cause", Errorf(NetworkError, "fetch: %w", io.EOF), NetworkError, "fetch: EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NameOf(tt.err); got != tt.wantName {
				t.Errorf("NameOf = %q, want %q", got, tt.wantName)
			}
			if got := MessageOf(tt.err); got != tt.wantMsg {
				t.Errorf("MessageOf = %q, want %q", got, tt.wantMsg)
			}
		})
	}
	if !errors.Is(Errorf(NetworkError, "fetch: %w", io.EOF), io.EOF) {
		t.Error("Errorf does not unwrap to its cause")
	}
	if got := New(AbortError, "no service").Error(); got != "AbortError: no service" {
		t.Errorf("Error() = %q", got)
	}
}

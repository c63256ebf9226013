package cli

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	good := map[string]time.Duration{
		"5":     5 * time.Second,
		"2.5":   2500 * time.Millisecond,
		"300ms": 300 * time.Millisecond,
		"1m":    time.Minute,
		"0":     0,
		" 5 ":   5 * time.Second,
	}
	for in, want := range good {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "-1", "-300ms", "5 segundos"} {
		if _, err := ParseDuration(bad); err == nil {
			t.Errorf("ParseDuration(%q) aceitou", bad)
		}
	}
}

func TestParseIPv4(t *testing.T) {
	for _, ok := range []string{"127.0.0.1", "localhost", "0.0.0.0", "127.0.0.8"} {
		if _, err := ParseIPv4(ok); err != nil {
			t.Errorf("ParseIPv4(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "::1", "example.com", "256.1.1.1"} {
		if _, err := ParseIPv4(bad); err == nil {
			t.Errorf("ParseIPv4(%q) aceitou", bad)
		}
	}
}

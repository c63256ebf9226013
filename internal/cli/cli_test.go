package cli

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	good := map[string]time.Duration{
		"5":      5 * time.Second,
		"2.5":    2500 * time.Millisecond,
		"300ms":  300 * time.Millisecond,
		"1m":     time.Minute,
		"0":      0,
		" 5 ":    5 * time.Second,
		"24h":    24 * time.Hour,
		"86400":  24 * time.Hour,
		"1e-3":   time.Millisecond,
		"23h59m": 23*time.Hour + 59*time.Minute,
	}
	for in, want := range good {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	// Cada valor ruim, com um pedaço da mensagem esperada. Os números fora do
	// alcance (inf, NaN, 1e10 s) são recusados antes da conversão para
	// inteiro, que daria um valor diferente em cada processador.
	bad := map[string]string{
		"":                      "inválida",
		"abc":                   "inválida",
		"5 segundos":            "inválida",
		"-1":                    "negativa",
		"-300ms":                "negativa",
		"-inf":                  "negativa",
		"inf":                   "longa demais",
		"+Inf":                  "longa demais",
		"infinity":              "longa demais",
		"NaN":                   "inválida",
		"nan":                   "inválida",
		"1e10":                  "longa demais",
		"1e400":                 "longa demais",
		"86400.001":             "longa demais",
		"24h0m0.001s":           "longa demais",
		"25h":                   "longa demais",
		"2562047h47m16s":        "longa demais", // o maior time.Duration: delay + 1s daria a volta
		"2562048h":              "inválida",     // nem cabe num time.Duration
		"9223372036854775807ns": "longa demais",
	}
	for in, want := range bad {
		d, err := ParseDuration(in)
		if err == nil {
			t.Errorf("ParseDuration(%q) aceitou: %v", in, d)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, want) || strings.Contains(msg, "\n") {
			t.Errorf("ParseDuration(%q): mensagem %q, esperado uma linha com %q", in, msg, want)
		}
	}
}

// As flags de duração passam por ParseDuration: um valor fora do limite é
// um erro do pacote flag (que ParseCommandLine transforma em uma linha e
// código 2), e o valor da flag não muda.
func TestDurationFlagRejects(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	d := Duration(fs, "delay", 5*time.Second, "")
	for _, v := range []string{"inf", "NaN", "1e10", "25h", "2562047h47m16s", "-1"} {
		if err := fs.Parse([]string{"-delay", v}); err == nil {
			t.Errorf("-delay %s aceito", v)
		}
		if *d != 5*time.Second {
			t.Errorf("-delay %s mudou o valor para %v", v, *d)
		}
	}
	if err := fs.Parse([]string{"-delay", "24h"}); err != nil || *d != 24*time.Hour {
		t.Errorf("-delay 24h: %v, %v", *d, err)
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

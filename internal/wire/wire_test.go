package wire

import (
	"strconv"
	"testing"
	"unicode/utf8"
)

func TestQuote(t *testing.T) {
	cases := map[string]string{
		"Tarefa do Cliente 1": "Tarefa do Cliente 1",
		"olá, ação":           "olá, ação",
		"a\x00b":              `a\x00b`,
		"\xff\xfe":            `\xff\xfe`,
		"linha\nnova":         `linha\nnova`,
		`c:\dir`:              `c:\\dir`,
		"":                    "",
	}
	for in, want := range cases {
		if got := Quote([]byte(in)); got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReply(t *testing.T) {
	msg := []byte("abc")
	r := Reply("Processado: ", msg)
	msg[0] = 'X' // Reply não pode reter o buffer de leitura
	if string(r) != "Processado: abc" {
		t.Fatalf("Reply = %q", r)
	}
}

// FuzzQuote: para qualquer sequência de bytes, Quote não entra em pânico,
// devolve UTF-8 válido e imprimível e é reversível (nada se perde no log).
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"Tarefa do Cliente 1", "\x00", "\xff", "olá", `\`, "\n\t", "\xed\xa0\x80"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		q := Quote(b)
		if !utf8.ValidString(q) {
			t.Fatalf("Quote(%q) = %q não é UTF-8 válido", b, q)
		}
		for _, r := range q {
			if !strconv.IsPrint(r) {
				t.Fatalf("Quote(%q) = %q contém %U não imprimível", b, q, r)
			}
		}
		back, err := strconv.Unquote(`"` + q + `"`)
		if isPlain(b) {
			back, err = string(b), nil
		}
		if err != nil || back != string(b) {
			t.Fatalf("Quote(%q) = %q não é reversível (%q, %v)", b, q, back, err)
		}
	})
}

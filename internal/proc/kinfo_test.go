package proc

import (
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"
)

// readHex lê um dos .hex de testdata: bytes de uma struct que o compilador
// C dispôs para a arquitetura-alvo (veja testdata/gen.sh).
func readHex(t *testing.T, name string) []byte {
	t.Helper()
	text, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	b, err := hex.DecodeString(strings.Join(strings.Fields(string(text)), ""))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}

// Os valores que testdata/kinfo.c põe na struct, já convertidos: 2500
// páginas de 4 KiB, ru_maxrss 12345 KiB, 3,25 s de usuário, 1,5 s de
// sistema, 678/90 trocas de contexto, 17 threads.
var kinfoWant = Figures{
	Threads:     17,
	RSS:         2500 * 4096,
	PeakRSS:     12345 * 1024,
	User:        3250 * time.Millisecond,
	System:      1500 * time.Millisecond,
	Voluntary:   678,
	Involuntary: 90,
}

func TestDecodeFreeBSD(t *testing.T) {
	for _, tc := range []struct{ file, archs string }{
		{"freebsd_64.hex", "amd64, arm64, riscv64"},
		{"freebsd_arm.hex", "arm"},
		{"freebsd_386.hex", "386"},
	} {
		b := readHex(t, tc.file)
		f, err := decodeFreeBSD(b, 4096)
		if err != nil {
			t.Errorf("%s (%s): %v", tc.file, tc.archs, err)
			continue
		}
		if f != kinfoWant {
			t.Errorf("%s (%s):\n got %+v\nwant %+v", tc.file, tc.archs, f, kinfoWant)
		}
		// Resposta cortada ou de um layout que não conhecemos: erro, não lixo.
		if _, err := decodeFreeBSD(b[:len(b)-1], 4096); err == nil {
			t.Errorf("%s cortado em %d bytes não deu erro", tc.file, len(b)-1)
		}
	}
	if _, err := decodeFreeBSD([]byte{0x10, 0x04, 0, 0, 0, 0}, 4096); err == nil {
		t.Error("ki_structsize=1040 (layout desconhecido) não deu erro")
	}
	if _, err := decodeFreeBSD(nil, 4096); err == nil {
		t.Error("resposta vazia não deu erro")
	}
}

func TestDecodeNetBSD(t *testing.T) {
	b := readHex(t, "netbsd.hex")
	f, err := decodeNetBSD(b, 4096)
	if err != nil {
		t.Fatal(err)
	}
	if f != kinfoWant {
		t.Errorf("netbsd.hex:\n got %+v\nwant %+v", f, kinfoWant)
	}
	// O kernel copia só os bytes pedidos: uma struct maior (de um NetBSD
	// mais novo) também serve.
	if g, err := decodeNetBSD(append(b, make([]byte, 64)...), 4096); err != nil || g != kinfoWant {
		t.Errorf("struct com campos a mais: %+v, %v", g, err)
	}
	// Zumbi: p_uvalid = 0, os campos p_u* não valem: n/d, não zero.
	z := append([]byte(nil), b...)
	clear(z[nbUValid : nbUValid+8])
	if g, _ := decodeNetBSD(z, 4096); g.CPU() >= 0 || g.Switches() >= 0 || g.Threads != 17 {
		t.Errorf("zumbi: %+v", g)
	}
	if _, err := decodeNetBSD(nil, 4096); err == nil {
		t.Error("resposta vazia (PID inexistente) não deu erro")
	}
	if _, err := decodeNetBSD(b[:netbsdKinfoSize-1], 4096); err == nil {
		t.Error("resposta curta não deu erro")
	}
}

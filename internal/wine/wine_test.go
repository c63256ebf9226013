package wine

import (
	"os"
	"runtime"
	"testing"
)

// scripts/wine/run-tests.sh roda os testes do Windows sob o Wine com
// ROTEIRO2_WINE=1. Então Detected deve dizer sim exatamente quando essa
// variável está lá: fora do Windows nunca, no Windows de verdade (o job
// windows do GitHub) não, sob o Wine sim.
func TestDetected(t *testing.T) {
	want := os.Getenv("ROTEIRO2_WINE") == "1"
	if runtime.GOOS != "windows" {
		want = false
	}
	if got := Detected(); got != want {
		t.Fatalf("Detected() = %v em %s com ROTEIRO2_WINE=%q; esperava %v",
			got, runtime.GOOS, os.Getenv("ROTEIRO2_WINE"), want)
	}
	if Detected() != Detected() {
		t.Fatal("Detected mudou de uma chamada para outra")
	}
}

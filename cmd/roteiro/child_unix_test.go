//go:build unix

package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// alive diz se o processo pid existe e não é zumbi.
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	if runtime.GOOS == "linux" {
		st, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return false
		}
		if i := strings.LastIndexByte(string(st), ')'); i >= 0 && strings.HasPrefix(string(st[i+1:]), " Z") {
			return false
		}
	}
	return true
}

// Depois de colhido, o número do filho pode ser de outro processo: nenhum
// sinal pode sair. O teste faz o pior caso de propósito: um child já colhido
// cujo pid é o de outro processo vivo, líder do seu próprio grupo (como um
// pid reaproveitado seria), e confere que kill e stop não o atingem.
func TestNoSignalAfterReap(t *testing.T) {
	other := exec.Command("sleep", "30")
	other.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := other.Start(); err != nil {
		t.Skip("sem o programa sleep:", err)
	}
	defer func() { other.Process.Kill(); other.Wait() }()

	c, err := startChild(context.Background(), "true", "true", nil, false)
	if err != nil {
		t.Skip("sem o programa true:", err)
	}
	<-c.done
	if forced := c.stop(time.Second); forced || c.exitCode() != 0 {
		t.Errorf("stop num filho que já saiu: forçado %v, código %d", forced, c.exitCode())
	}
	// O "pid reaproveitado": o mesmo child, agora apontando para o outro.
	c.cmd.Process.Pid = other.Process.Pid
	c.kill()
	c.terminate()
	killAll()
	time.Sleep(50 * time.Millisecond) // um sinal enviado já teria chegado
	if !alive(other.Process.Pid) {
		t.Fatal("um sinal do roteiro atingiu outro processo depois de o filho ter sido colhido")
	}
}

// No Linux, um neto deixado no grupo por um filho que saiu sozinho morre
// antes de o filho ser colhido (depois, o grupo não seria mais seguro).
func TestStragglerKilledBeforeReap(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("esperar sem colher (waitid WNOWAIT) é do Linux; nos outros sistemas o neto fica")
	}
	c, err := startChild(context.Background(), "sh", "sh", []string{"-c", "sleep 30 & echo $!"}, false)
	if err != nil {
		t.Skip("sem sh:", err)
	}
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		t.Fatal("sh não terminou")
	}
	pid, err := strconv.Atoi(strings.TrimSpace(c.out.String()))
	if err != nil {
		t.Fatalf("pid do neto: %q", c.out.String())
	}
	deadline := time.Now().Add(5 * time.Second)
	for alive(pid) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if alive(pid) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Fatal("o neto sobreviveu ao filho")
	}
}

// stop de um filho que ignora o SIGTERM: SIGKILL depois do prazo, forced.
func TestStopForced(t *testing.T) {
	c, err := startChild(context.Background(), "sh", "sh", []string{"-c", "trap '' TERM; echo pronto; sleep 30"}, false)
	if err != nil {
		t.Skip("sem sh:", err)
	}
	if _, err := c.out.WaitLine(regexpPronto, c.done, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if forced := c.stop(300 * time.Millisecond); !forced || c.killedByTerm() {
		t.Errorf("forced %v, killedByTerm %v", forced, c.killedByTerm())
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("stop levou %v", d)
	}
	// E um que morre pelo SIGTERM (o padrão de um programa Python): não é forçado.
	c, err = startChild(context.Background(), "sleep", "sleep", []string{"30"}, false)
	if err != nil {
		t.Fatal(err)
	}
	if forced := c.stop(10 * time.Second); forced || !c.killedByTerm() || c.exitCode() != -1 {
		t.Errorf("sleep + SIGTERM: forced %v, killedByTerm %v, código %d", forced, c.killedByTerm(), c.exitCode())
	}
}

var regexpPronto = regexp.MustCompile(`^pronto$`)

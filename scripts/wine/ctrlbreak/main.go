//go:build windows

// Ctrlbreak mostra se um programa Go, filho deste, recebe o CTRL_BREAK_EVENT
// mandado a ele do jeito do Windows: o filho nasce num grupo de processos
// novo (CREATE_NEW_PROCESS_GROUP) e o pai chama
// GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, pid do filho). O runtime do Go
// entrega o evento ao filho como os.Interrupt.
//
//	GOOS=windows go build -o ctrlbreak.exe ./scripts/wine/ctrlbreak
//	ctrlbreak.exe              # o pai como estiver (sob o Wine do CI: sem console)
//	ctrlbreak.exe -console     # o pai cria um console antes (FreeConsole, AllocConsole)
//
// Sob o Wine 8 o evento nunca chega: GenerateConsoleCtrlEvent falha com
// "Invalid access" sem console e "Invalid handle" com um. Veja
// scripts/wine/LEIAME.md e o pacote internal/interrupt, que usa outro
// caminho sob o Wine.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/sys/windows"
)

func main() {
	filho := flag.Bool("filho", false, "(interno) roda como o filho que espera o evento")
	console := flag.Bool("console", false, "o pai cria um console (AllocConsole) antes de começar")
	flag.Parse()
	if *filho {
		os.Exit(child())
	}
	if *console {
		// Larga o que o Wine deu ao processo e cria um console de verdade.
		k := windows.NewLazySystemDLL("kernel32.dll")
		k.NewProc("FreeConsole").Call()
		r, _, err := k.NewProc("AllocConsole").Call()
		fmt.Printf("pai: AllocConsole: %v (%v)\n", r != 0, err)
	}

	cmd := exec.Command(os.Args[0], "-filho")
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_NEW_PROCESS_GROUP}
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Println("pai:", err)
		os.Exit(1)
	}
	if err := cmd.Start(); err != nil {
		fmt.Println("pai:", err)
		os.Exit(1)
	}
	lines := bufio.NewScanner(out)
	lines.Scan()
	fmt.Println("pai: o filho disse:", lines.Text())

	err = windows.GenerateConsoleCtrlEvent(windows.CTRL_BREAK_EVENT, uint32(cmd.Process.Pid))
	fmt.Printf("pai: GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, %d): %v\n", cmd.Process.Pid, errText(err))
	for lines.Scan() {
		fmt.Println("pai: o filho disse:", lines.Text())
	}
	cmd.Wait()
	if cmd.ProcessState.ExitCode() == 0 {
		fmt.Println("resultado: o filho recebeu o CTRL_BREAK_EVENT como os.Interrupt")
	} else {
		fmt.Println("resultado: o CTRL_BREAK_EVENT NÃO chegou ao filho")
		os.Exit(1)
	}
}

// child espera os.Interrupt por até 5 s: código 0 se veio, 3 se não.
func child() int {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	fmt.Println("pronto, esperando os.Interrupt")
	select {
	case s := <-sig:
		fmt.Println("recebi", s)
		return 0
	case <-time.After(5 * time.Second):
		fmt.Println("nada em 5 s")
		return 3
	}
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	if e, ok := err.(windows.Errno); ok {
		return fmt.Sprintf("%v (erro %d)", err, uint32(e))
	}
	return err.Error()
}

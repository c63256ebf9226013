package interrupt

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/sys/windows"

	"roteiro2/internal/wine"
)

// Prepare ajusta cmd, antes do Start, para que Send alcance o processo: um
// grupo de processos novo (sob o Wine, um console novo).
func Prepare(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	if wine.Detected() {
		cmd.SysProcAttr.CreationFlags |= windows.CREATE_NEW_CONSOLE
		return
	}
	cmd.SysProcAttr.CreationFlags |= windows.CREATE_NEW_PROCESS_GROUP
}

// Send pede ao processo pid, iniciado com Prepare, que pare: o runtime do Go
// dele recebe os.Interrupt. Um erro quer dizer que o pedido não saiu (por
// exemplo, quem chama não tem console); quem chama então decide se mata o
// processo.
func Send(pid int) error {
	if wine.Detected() {
		return sendFromHelper(pid)
	}
	if err := windows.GenerateConsoleCtrlEvent(windows.CTRL_BREAK_EVENT, uint32(pid)); err != nil {
		return fmt.Errorf("GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, %d): %w", pid, err)
	}
	return nil
}

// ExitedByInterrupt diz se um processo terminou pela ação padrão de um
// evento de controle (Ctrl-C ou Ctrl-Break sem ninguém tratando): o Windows
// o encerra com o código STATUS_CONTROL_C_EXIT. É o que acontece com um
// servidor no segundo Ctrl-C, e com um programa Python que não trata o
// evento.
func ExitedByInterrupt(exitCode int) bool {
	return uint32(exitCode) == uint32(windows.STATUS_CONTROL_C_EXIT)
}

// helperEnv: com esta variável (o pid do alvo), o programa que importa este
// pacote nasce como o ajudante de sendFromHelper, faz só isso e sai.
const helperEnv = "ROTEIRO2_CTRL_C_PARA"

func init() {
	if pid, ok := os.LookupEnv(helperEnv); ok {
		os.Exit(helper(pid))
	}
}

// sendFromHelper (só sob o Wine): roda este mesmo programa como ajudante,
// que se prende ao console do processo pid e manda Ctrl-C a ele. Um
// processo à parte, porque um processo só tem um console: quem chama
// continua no seu, e os outros filhos não são atingidos.
func sendFromHelper(pid int) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), helperEnv+"="+strconv.Itoa(pid))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("ajudante do Ctrl-C para o processo %d: %v: %s", pid, err, strings.TrimSpace(string(out)))
	}
	return nil
}

var (
	kernel32          = windows.NewLazySystemDLL("kernel32.dll")
	procFreeConsole   = kernel32.NewProc("FreeConsole")
	procAttachConsole = kernel32.NewProc("AttachConsole")
)

// helper é o ajudante: larga o console que tiver, prende-se ao do processo
// alvo e manda CTRL_C_EVENT aos processos desse console (grupo 0: os do
// mesmo grupo de quem manda, que é o do alvo: nenhum dos dois nasceu num
// grupo novo). O próprio ajudante pode receber a sua cópia: com
// signal.Notify o runtime do Go a consome em vez de encerrar o processo.
// Devolve o código de saída.
func helper(target string) int {
	pid, err := strconv.Atoi(target)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s=%q: pid inválido\n", helperEnv, target)
		return 2
	}
	signal.Notify(make(chan os.Signal, 1), os.Interrupt)
	procFreeConsole.Call()
	if ok, _, err := procAttachConsole.Call(uintptr(pid)); ok == 0 {
		fmt.Fprintf(os.Stderr, "AttachConsole(%d): %v\n", pid, err)
		return 1
	}
	if err := windows.GenerateConsoleCtrlEvent(windows.CTRL_C_EVENT, 0); err != nil {
		fmt.Fprintf(os.Stderr, "GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0): %v\n", err)
		return 1
	}
	return 0
}

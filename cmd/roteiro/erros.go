package main

// Os erros do Go e do sistema vêm em inglês ("executable file not found in
// $PATH", "no such file or directory"); as mensagens do roteiro são em
// português, uma frase só. errText traduz os casos que um aluno encontra.

import (
	"errors"
	"io/fs"
	"os/exec"
	"syscall"
)

// errText descreve err em português, sem o caminho (quem chama já o diz);
// um erro desconhecido sai como o Go o escreve.
func errText(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, exec.ErrNotFound):
		return "não está em nenhuma pasta do PATH"
	case errors.Is(err, exec.ErrDot):
		return "só existe na pasta atual, que não vale como PATH: escreva ./ antes do nome"
	case errors.Is(err, fs.ErrNotExist):
		return "não existe"
	case errors.Is(err, fs.ErrPermission):
		return "sem permissão"
	case errors.Is(err, syscall.ENOEXEC):
		return "não é um programa executável"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
